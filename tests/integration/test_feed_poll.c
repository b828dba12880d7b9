/* SPDX-License-Identifier: ISC */
/* feed_poller against a misbehaving loopback server, what it makes of each answer: each
 * fixture with ETag and 304, HTTP 500, a refused redirect, a cut body, an oversize body, and
 * TLS verification. The loop and timing cases are in test_feed_poll_loop.c. Only 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "feed_poll.h"
#include "feed_test_cert.h"
#include "feed_test_harness.h"
#include "feed_test_server.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_and_304),
	    cmocka_unit_test(test_http_500),
	    cmocka_unit_test(test_http_redirect_says_what_happened),
	    cmocka_unit_test(test_close_mid_body),
	    cmocka_unit_test(test_body_over_cap),
	    cmocka_unit_test(test_tls_verification),
	};
	return cmocka_run_group_tests(tests, feed_harness_setup, feed_harness_teardown);
}
