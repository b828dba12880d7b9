/* SPDX-License-Identifier: ISC */
/* The feed poller tests' shared harness (feed_test_harness.h). Only 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "feed_test_harness.h"

struct harness h;

const char *const healthy_feed =
    "{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[]}]}";

int64_t now_ms(void)
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

void reset_tick_gap(void)
{
	h.last_tick_ms = now_ms();
	h.max_tick_gap_ms = 0;
}

int64_t loop_lateness_ms(void)
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

uint64_t polls(void)
{
	return feed_poller_stats(h.poller)->polls;
}

/* Runs the loop until poller has finished `target` transfers. */
void run_poller_until(struct feed_poller *poller, uint64_t target, int64_t max_ms)
{
	int64_t deadline = now_ms() + max_ms;

	while (feed_poller_stats(poller)->polls < target && now_ms() < deadline)
		event_base_loop(h.base, EVLOOP_ONCE);
	if (feed_poller_stats(poller)->polls < target)
		fail_msg("poll %llu did not finish within %lld ms", (unsigned long long)target,
		         (long long)max_ms);
}

void run_until_polls(uint64_t target, int64_t max_ms)
{
	run_poller_until(h.poller, target, max_ms);
}

const struct feed_state *poll_once(void)
{
	uint64_t target = polls() + 1;

	feed_poller_poll_now(h.poller);
	run_until_polls(target, WAIT_MS);
	return feed_poller_state(h.poller);
}

void serve_text(enum server_mode mode, const char *body, const char *etag)
{
	test_server_serve(&h.server, mode, body, strlen(body), etag);
}

void serve_fixture(const char *name, const char *etag)
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

/* A good feed first, so that each failure case starts reachable. */
void start_good(void)
{
	serve_text(SERVE_FEED, healthy_feed, "\"good\"");
	poll_once();
	serve_text(SERVE_FEED, healthy_feed, "\"good-2\""); /* so the next poll is not a 304 */
	assert_false(feed_poller_state(h.poller)->unreachable);
	assert_true(feed_poller_state(h.poller)->have_good);
}

/* One failure after a good feed: unreachable since now, the content kept, one callback. */
const struct feed_state *expect_failure(const char *error_part)
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

int feed_harness_setup(void **unused)
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

int feed_harness_teardown(void **unused)
{
	(void)unused;
	feed_poller_free(h.poller);
	test_server_stop(&h.server);
	event_free(h.ticker);
	event_base_free(h.base);
	curl_global_cleanup();
	return 0;
}
