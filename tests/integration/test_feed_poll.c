/* SPDX-License-Identifier: ISC */
/* feed_poller against a misbehaving loopback server: each fixture with ETag and 304, HTTP 500,
 * a hang (the loop must keep running), a cut body, an oversize body, the server gone, the
 * recovery and the back-off schedule. Only 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "feed_poll.h"
#include "feed_test_cert.h"
#include "feed_test_server.h"

/* Bounds, not figures: a loaded machine may be slow, and a test waits for its condition.
 * Only the hang test is about the transfer timeout, and it sets HANG_TIMEOUT_MS. */
#define TIMEOUT_MS      20000
#define WAIT_MS         30000
#define HANG_TIMEOUT_MS 1500
#define BODY_CAP        65536

struct harness {
	struct event_base *base;
	struct event *ticker; /* every 10 ms: proves the loop is never blocked */
	int ticks;
	int64_t last_tick_ms;
	int64_t max_tick_gap_ms; /* the longest the loop went without running, since reset */
	struct feed_poller *poller;
	struct feed_poll_options opts;
	struct test_server server;
	int changes;             /* callbacks so far */
	bool poll_from_callback; /* once: the callback asks for another poll */
	struct feed_state reported;
};

static struct harness h;

static int64_t now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	int64_t now = now_ms();
	(void)fd;
	(void)what;
	(void)arg;
	h.ticks++;
	if (now - h.last_tick_ms > h.max_tick_gap_ms)
		h.max_tick_gap_ms = now - h.last_tick_ms;
	h.last_tick_ms = now;
}

static void reset_tick_gap(void)
{
	h.last_tick_ms = now_ms();
	h.max_tick_gap_ms = 0;
}

/* How late the loop ran its timers since reset_tick_gap (0 on a quiet machine): a timing
 * bound allows for it, so that load stretches the bound instead of failing the test. */
static int64_t loop_lateness_ms(void)
{
	return h.max_tick_gap_ms > 10 ? h.max_tick_gap_ms - 10 : 0;
}

static void on_changed(void *arg, const struct feed_state *state)
{
	(void)arg;
	h.changes++;
	h.reported = *state;
	if (h.poll_from_callback) {
		h.poll_from_callback = false;
		feed_poller_poll_now(h.poller);
	}
}

static uint64_t polls(void)
{
	return feed_poller_stats(h.poller)->polls;
}

/* Runs the loop until poller has finished `target` transfers. */
static void run_poller_until(struct feed_poller *poller, uint64_t target, int64_t max_ms)
{
	int64_t deadline = now_ms() + max_ms;

	while (feed_poller_stats(poller)->polls < target && now_ms() < deadline)
		event_base_loop(h.base, EVLOOP_ONCE);
	if (feed_poller_stats(poller)->polls < target)
		fail_msg("poll %llu did not finish within %lld ms", (unsigned long long)target,
		         (long long)max_ms);
}

static void run_until_polls(uint64_t target, int64_t max_ms)
{
	run_poller_until(h.poller, target, max_ms);
}

static const struct feed_state *poll_once(void)
{
	uint64_t target = polls() + 1;

	feed_poller_poll_now(h.poller);
	run_until_polls(target, WAIT_MS);
	return feed_poller_state(h.poller);
}

static void serve_text(enum server_mode mode, const char *body, const char *etag)
{
	test_server_serve(&h.server, mode, body, strlen(body), etag);
}

static void serve_fixture(const char *name, const char *etag)
{
	char path[512], body[4096];
	FILE *file;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", FEED_FIXTURE_DIR, name);
	file = fopen(path, "rb");
	assert_non_null(file);
	len = fread(body, 1, sizeof(body), file);
	fclose(file);
	test_server_serve(&h.server, SERVE_FEED, body, len, etag);
}

static void set_url(struct feed_poll_options *opts, int port)
{
	snprintf(opts->url, sizeof(opts->url), "http://127.0.0.1:%d/system_status_en_US.js", port);
}

static const char *const healthy_feed =
    "{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[]}]}";

/* A good feed first, so that each failure case starts reachable. */
static void start_good(void)
{
	serve_text(SERVE_FEED, healthy_feed, "\"good\"");
	poll_once();
	serve_text(SERVE_FEED, healthy_feed, "\"good-2\""); /* so the next poll is not a 304 */
	assert_false(feed_poller_state(h.poller)->unreachable);
	assert_true(feed_poller_state(h.poller)->have_good);
}

/* One failure after a good feed: unreachable since now, the content kept, one callback. */
static const struct feed_state *expect_failure(const char *error_part)
{
	int changes = h.changes;
	int64_t before = time(NULL);
	const struct feed_state *state = poll_once();

	assert_true(state->unreachable);
	assert_true(state->unreachable_since >= before && state->unreachable_since <= time(NULL));
	if (!strstr(state->last_error, error_part))
		fail_msg("last_error \"%s\" lacks \"%s\"", state->last_error, error_part);
	assert_true(state->have_good);
	assert_int_equal(state->n_active, 0);
	assert_int_equal(h.changes, changes + 1);
	assert_int_equal(h.reported.unreachable, true);
	return state;
}

struct fixture_case {
	const char *file;
	bool good;
	int n_active;
	int n_upcoming;
	const char *first_type; /* of active[0], else of upcoming[0] */
	bool content_changes;   /* compared with the case before */
};

static const struct fixture_case fixture_cases[] = {
    {"healthy.json", true, 0, 0, NULL, true},
    {"backup-outage.json", true, 1, 0, "Outage", true},
    {"backup-outage-jsonp.js", true, 1, 0, "Outage", false},
    {"backup-maintenance-upcoming.json", true, 0, 1, "Maintenance", true},
    {"performance-and-unknown-values.json", true, 2, 0, "Performance", true},
    {"truncated.json", false, 2, 0, "Performance", true},
    {"html-error-page.html", false, 2, 0, "Performance", true},
};

static void check_fixture_state(const struct fixture_case *c, const struct feed_state *state)
{
	assert_true(state->have_good);
	assert_int_equal(state->unreachable, !c->good);
	assert_int_equal(state->n_active, c->n_active);
	assert_int_equal(state->n_upcoming, c->n_upcoming);
	if (c->first_type)
		assert_string_equal(c->n_active ? state->active[0].status_type
		                                : state->upcoming[0].status_type,
		                    c->first_type);
	if (!c->good)
		assert_non_null(strstr(state->last_error, "unreadable feed"));
}

static void expect_not_modified(const char *etag)
{
	const struct feed_poll_stats *stats = feed_poller_stats(h.poller);
	uint64_t not_modified = stats->not_modified;
	struct feed_state before = *feed_poller_state(h.poller);
	int changes = h.changes, requests;
	char inm[128], ims[64];

	poll_once();
	test_server_last_request(&h.server, &requests, inm, sizeof(inm), ims, sizeof(ims));
	assert_string_equal(inm, etag);
	assert_string_equal(ims, TEST_SERVER_LAST_MODIFIED);
	assert_int_equal(stats->not_modified, not_modified + 1);
	assert_int_equal(h.changes, changes); /* a 304 changes nothing worth a callback */
	assert_memory_equal(feed_poller_state(h.poller)->active, before.active,
	                    sizeof(before.active));
	assert_true(feed_poller_state(h.poller)->last_good_unix >= before.last_good_unix);
}

static void test_fixtures_and_304(void **unused)
{
	int64_t first_failure = 0;
	(void)unused;

	for (size_t i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++) {
		const struct fixture_case *c = &fixture_cases[i];
		char etag[32];
		int changes = h.changes;

		print_message("fixture %s\n", c->file);
		snprintf(etag, sizeof(etag), "\"fx-%zu\"", i);
		serve_fixture(c->file, etag);
		check_fixture_state(c, poll_once());
		assert_int_equal(h.changes, changes + (c->content_changes ? 1 : 0));
		if (c->good) {
			expect_not_modified(etag);
			continue;
		}
		/* Bad feeds: unreachable since the first of them; validators of the last good. */
		if (!first_failure)
			first_failure = feed_poller_state(h.poller)->unreachable_since;
		assert_int_equal(feed_poller_state(h.poller)->unreachable_since, first_failure);
	}
}

static void test_http_500(void **unused)
{
	(void)unused;
	start_good();
	serve_text(SERVE_500, "", "");
	expect_failure("HTTP 500");
}

/* Redirects are followed to https only; a refused one says where it led, not libcurl's
 * "Protocol http not supported or disabled". */
static void test_http_redirect_says_what_happened(void **unused)
{
	char target[128];
	(void)unused;
	start_good();
	snprintf(target, sizeof(target), "http://127.0.0.1:%d/moved.js", h.server.port);
	serve_text(SERVE_REDIRECT, target, "");
	const struct feed_state *state = poll_once();
	print_message("refused redirect: %s\n", state->last_error);
	assert_true(state->unreachable);
	char expected[256];
	snprintf(expected, sizeof(expected),
	         "redirected (HTTP 302) to %s; backupd follows redirects to https:// only", target);
	assert_string_equal(state->last_error, expected);
}

/* Takes new options (a reconfigure polls at once) and lets that poll, of a good feed, end. */
static void reconfigure_good(const struct feed_poll_options *opts)
{
	uint64_t target = polls() + 1;

	serve_text(SERVE_FEED, healthy_feed, "\"reconfigured\"");
	feed_poller_reconfigure(h.poller, opts);
	run_until_polls(target, WAIT_MS);
	assert_false(feed_poller_state(h.poller)->unreachable);
}

static void test_hang_keeps_loop_running(void **unused)
{
	struct feed_poll_options opts = h.opts;
	int ticks;
	int64_t started, elapsed, late;
	(void)unused;

	opts.timeout_ms = HANG_TIMEOUT_MS;
	reconfigure_good(&opts);
	start_good();
	serve_text(SERVE_HANG, "", "");
	ticks = h.ticks;
	reset_tick_gap();
	started = now_ms();
	expect_failure("timed out");
	elapsed = now_ms() - started;
	late = loop_lateness_ms();
	print_message("hang: failed after %lld ms, %d ticks of 10 ms meanwhile, longest gap "
	              "%lld ms\n",
	              (long long)elapsed, h.ticks - ticks, (long long)h.max_tick_gap_ms);
	assert_true(elapsed >= HANG_TIMEOUT_MS - 20);
	assert_true(elapsed <= HANG_TIMEOUT_MS + 1500 + late);
	/* A loop blocked in the transfer would not run between its start and its timeout: one
	 * gap as long as the whole wait. Load gives many short ones. */
	assert_true(h.max_tick_gap_ms < elapsed / 2);
	serve_text(SERVE_FEED, healthy_feed, "\"after-hang\""); /* releases the connection */
	reconfigure_good(&h.opts);
}

static void test_close_mid_body(void **unused)
{
	(void)unused;
	start_good();
	serve_text(SERVE_CLOSE_MID_BODY, healthy_feed, "\"cut\"");
	expect_failure("closed");
}

static void test_body_over_cap(void **unused)
{
	char expected[64];
	(void)unused;

	snprintf(expected, sizeof(expected), "body over %d bytes", BODY_CAP);
	start_good();
	serve_text(SERVE_OVERSIZE, "", "");
	expect_failure(expected);
	start_good();
	serve_text(SERVE_OVERSIZE_NO_LENGTH, "", "");
	expect_failure(expected);
}

static void test_server_gone_then_back(void **unused)
{
	int port = h.server.port;
	int changes;
	const struct feed_state *state;
	(void)unused;

	start_good();
	test_server_stop(&h.server);
	state = expect_failure("onnect"); /* "Couldn't connect" / "Failed to connect" */
	print_message("gone: %s\n", state->last_error);

	assert_int_equal(test_server_start(&h.server, port), 0);
	serve_fixture("backup-outage.json", "\"back\"");
	changes = h.changes;
	state = poll_once();
	assert_false(state->unreachable);
	assert_int_equal(state->unreachable_since, 0);
	assert_string_equal(state->last_error, "");
	assert_int_equal(state->n_active, 1);
	assert_string_equal(state->active[0].status_type, "Outage");
	assert_int_equal(h.changes, changes + 1);
}

/* Failures retry after ~base, 2 base, 4 base ... up to the interval, each up to 20% early. */
static void test_backoff_schedule(void **unused)
{
	struct feed_poll_options opts = h.opts;
	const int64_t expected[] = {100, 200, 400, 800, 1000};
	uint64_t first;
	int64_t last;
	(void)unused;

	serve_text(SERVE_500, "", "");
	opts.backoff_base_ms = 100;
	opts.interval_ms = 1000;
	first = polls() + 1;
	feed_poller_reconfigure(h.poller, &opts); /* polls at once */
	run_until_polls(first, WAIT_MS);
	last = now_ms();
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		int64_t gap, transfer, late;

		reset_tick_gap();
		run_until_polls(first + 1 + i, WAIT_MS);
		gap = now_ms() - last;
		last = now_ms();
		/* The gap is the wait, then the retry's own transfer, then how late the loop ran:
		 * never shorter than the wait (timers do not fire early); longer only by what the
		 * machine's load added, measured here, not guessed. */
		transfer = feed_poller_stats(h.poller)->last_duration_ms;
		late = loop_lateness_ms();
		print_message("retry %zu after %lld ms (expected %lld, -20%%; transfer %lld ms, "
		              "loop late %lld ms)\n",
		              i + 1, (long long)gap, (long long)expected[i], (long long)transfer,
		              (long long)late);
		assert_true(gap >= expected[i] * 8 / 10 - 5);
		assert_true(gap - transfer <= expected[i] + 150 + late);
	}
	/* Recovery resets the schedule: the next poll comes one interval later. */
	serve_text(SERVE_FEED, healthy_feed, "\"schedule\"");
	run_until_polls(polls() + 1, WAIT_MS);
	assert_false(feed_poller_state(h.poller)->unreachable);
	assert_int_equal(feed_poller_stats(h.poller)->consecutive_failures, 0);
	last = now_ms();
	run_until_polls(polls() + 1, WAIT_MS);
	assert_true(now_ms() - last >= 990);
	feed_poller_reconfigure(h.poller, &h.opts);
	run_until_polls(polls() + 1, WAIT_MS);
}

static int64_t thread_cpu_us(void)
{
	struct rusage usage;

	getrusage(RUSAGE_THREAD, &usage);
	return (int64_t)usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec +
	       (int64_t)usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec;
}

/* Not a pass/fail figure: what an unchanged feed costs the daemon's thread per poll. */
static void test_measure_304_cost(void **unused)
{
	const int rounds = 200;
	int64_t wall, cpu;
	(void)unused;

	serve_fixture("healthy.json", "\"cost\"");
	poll_once();
	wall = now_ms();
	cpu = thread_cpu_us();
	for (int i = 0; i < rounds; i++)
		poll_once();
	wall = now_ms() - wall;
	cpu = thread_cpu_us() - cpu;
	print_message("304 poll over loopback HTTP: %.2f ms wall, %.0f us CPU on the loop thread "
	              "(mean of %d)\n",
	              (double)wall / rounds, (double)cpu / rounds, rounds);
	assert_int_equal(feed_poller_stats(h.poller)->consecutive_failures, 0);
	assert_true(wall / rounds < 500); /* a sanity bound: a poll that waited on something */
}

/* The daemon's callback may ask for a poll at once: the transfer is over by then. */
static void test_poll_from_callback(void **unused)
{
	uint64_t before;
	int requests_before, requests;
	char inm[128], ims[64];
	(void)unused;

	serve_fixture("backup-outage.json", "\"from-callback\"");
	test_server_last_request(&h.server, &requests_before, inm, sizeof(inm), ims, sizeof(ims));
	h.poll_from_callback = true;
	before = polls();
	poll_once();
	run_until_polls(before + 2, WAIT_MS);
	test_server_last_request(&h.server, &requests, inm, sizeof(inm), ims, sizeof(ims));
	assert_int_equal(requests, requests_before + 2);
	assert_string_equal(inm, "\"from-callback\""); /* the second one was conditional */
	assert_false(h.poll_from_callback);
}

/* TLS is verified: a self-signed server is refused until its certificate is the CA. */
static void test_tls_verification(void **unused)
{
	char dir[] = "/tmp/feed-tls-XXXXXX", cert[64], key[64];
	static struct test_server tls_server; /* outlives a failed assertion's longjmp */
	struct feed_poll_options opts = h.opts;
	struct feed_poller *poller;
	const struct feed_state *state;
	(void)unused;

	assert_non_null(mkdtemp(dir));
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	assert_int_equal(test_cert_make(cert, key), 0);
	assert_int_equal(test_server_start_tls(&tls_server, 0, cert, key), 0);
	test_server_serve(&tls_server, SERVE_FEED, healthy_feed, strlen(healthy_feed), "\"tls\"");
	snprintf(opts.url, sizeof(opts.url), "https://127.0.0.1:%d/feed", tls_server.port);
	opts.ca_file[0] = '\0';
	opts.connect_timeout_ms = TIMEOUT_MS; /* handshakes are slow under valgrind */
	poller = feed_poller_new(h.base, &opts, NULL, NULL);
	assert_non_null(poller);
	run_poller_until(poller, 1, WAIT_MS);
	state = feed_poller_state(poller);
	print_message("self-signed, system CAs: %s\n", state->last_error);
	assert_true(state->unreachable);
	assert_non_null(strstr(state->last_error, "certificate"));

	snprintf(opts.ca_file, sizeof(opts.ca_file), "%s", cert);
	feed_poller_reconfigure(poller, &opts);
	run_poller_until(poller, 2, WAIT_MS);
	assert_false(state->unreachable);
	assert_true(state->have_good);

	feed_poller_free(poller);
	test_server_stop(&tls_server);
	unlink(cert);
	unlink(key);
	rmdir(dir);
}

static void test_disable_by_empty_url(void **unused)
{
	struct feed_poll_options opts = h.opts;
	uint64_t before = polls();
	int64_t deadline = now_ms() + 200;
	(void)unused;

	opts.url[0] = '\0';
	feed_poller_reconfigure(h.poller, &opts);
	assert_false(feed_poller_state(h.poller)->have_good); /* nothing to say about Apple */
	feed_poller_poll_now(h.poller);
	while (now_ms() < deadline)
		event_base_loop(h.base, EVLOOP_ONCE);
	assert_int_equal(polls(), before);
}

static int setup(void **unused)
{
	struct timeval tick = {0, 10000};
	(void)unused;

	signal(SIGPIPE, SIG_IGN); /* the server writes to clients that gave up */
	/* Loopback must not go through a proxy the environment may name. */
	setenv("no_proxy", "127.0.0.1", 1);
	setenv("NO_PROXY", "127.0.0.1", 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	if (test_server_start(&h.server, 0) != 0)
		return -1;
	h.base = event_base_new();
	h.ticker = event_new(h.base, -1, EV_PERSIST, on_tick, NULL);
	event_add(h.ticker, &tick);
	feed_poll_options_defaults(&h.opts);
	set_url(&h.opts, h.server.port);
	h.opts.interval_ms = 60000; /* only the test starts polls, except in the back-off case */
	h.opts.backoff_base_ms = 60000;
	h.opts.timeout_ms = h.opts.connect_timeout_ms = TIMEOUT_MS;
	h.opts.body_cap = BODY_CAP;
	serve_text(SERVE_500, "", "");
	h.poller = feed_poller_new(h.base, &h.opts, on_changed, NULL);
	if (!h.poller)
		return -1;
	run_until_polls(1, WAIT_MS); /* the first poll starts by itself */
	return feed_poller_state(h.poller)->unreachable ? 0 : -1;
}

static int teardown(void **unused)
{
	(void)unused;
	feed_poller_free(h.poller);
	test_server_stop(&h.server);
	event_free(h.ticker);
	event_base_free(h.base);
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_and_304),
	    cmocka_unit_test(test_http_500),
	    cmocka_unit_test(test_http_redirect_says_what_happened),
	    cmocka_unit_test(test_hang_keeps_loop_running),
	    cmocka_unit_test(test_close_mid_body),
	    cmocka_unit_test(test_body_over_cap),
	    cmocka_unit_test(test_server_gone_then_back),
	    cmocka_unit_test(test_backoff_schedule),
	    cmocka_unit_test(test_measure_304_cost),
	    cmocka_unit_test(test_poll_from_callback),
	    cmocka_unit_test(test_tls_verification),
	    cmocka_unit_test(test_disable_by_empty_url),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
