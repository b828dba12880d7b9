/* SPDX-License-Identifier: ISC */
/* feed_poller and the loop: a hang (the loop must keep running), the server gone and back,
 * the back-off schedule, what a 304 costs, a poll asked for from the callback, and a poller
 * switched off. Only 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

#include <cmocka.h>
#include <event2/event.h>

#include "feed_poll.h"
#include "feed_test_harness.h"
#include "feed_test_server.h"

static void test_hang_keeps_loop_running(void **unused)
{
	int ticks, requests;
	int64_t started, elapsed;
	char inm[128], ims[64];
	(void)unused;

	start_good();
	serve_text(SERVE_HANG, "", "");
	ticks = h.ticks;
	started = now_ms();
	expect_failure("timed out");
	elapsed = now_ms() - started;
	test_server_last_request(&h.server, &requests, inm, sizeof(inm), ims, sizeof(ims));
	print_message("hang: failed after %lld ms, %d ticks of 10 ms meanwhile\n",
	              (long long)elapsed, h.ticks - ticks);
	assert_true(elapsed >= TIMEOUT_MS - 20);
	assert_true(elapsed <= TIMEOUT_MS + 1500);
	/* A blocked loop would show ~0 ticks; allow for slow sanitizer builds. */
	assert_true(h.ticks - ticks >= (int)(elapsed / 10 / 3));
	serve_text(SERVE_FEED, healthy_feed, "\"after-hang\""); /* releases the connection */
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
	run_until_polls(first, 3000);
	last = now_ms();
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		int64_t gap;

		run_until_polls(first + 1 + i, 3000);
		gap = now_ms() - last;
		last = now_ms();
		print_message("retry %zu after %lld ms (expected %lld, -20%%)\n", i + 1,
		              (long long)gap, (long long)expected[i]);
		assert_true(gap >= expected[i] * 8 / 10 - 5);
		assert_true(gap <= expected[i] + 150);
	}
	/* Recovery resets the schedule: the next poll comes one interval later. */
	serve_text(SERVE_FEED, healthy_feed, "\"schedule\"");
	run_until_polls(polls() + 1, 3000);
	assert_false(feed_poller_state(h.poller)->unreachable);
	assert_int_equal(feed_poller_stats(h.poller)->consecutive_failures, 0);
	last = now_ms();
	run_until_polls(polls() + 1, 3000);
	assert_true(now_ms() - last >= 990);
	feed_poller_reconfigure(h.poller, &h.opts);
	run_until_polls(polls() + 1, 3000);
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
	assert_true(wall / rounds < 100);
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
	run_until_polls(before + 2, 3000);
	test_server_last_request(&h.server, &requests, inm, sizeof(inm), ims, sizeof(ims));
	assert_int_equal(requests, requests_before + 2);
	assert_string_equal(inm, "\"from-callback\""); /* the second one was conditional */
	assert_false(h.poll_from_callback);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hang_keeps_loop_running),
	    cmocka_unit_test(test_server_gone_then_back),
	    cmocka_unit_test(test_backoff_schedule),
	    cmocka_unit_test(test_measure_304_cost),
	    cmocka_unit_test(test_poll_from_callback),
	    cmocka_unit_test(test_disable_by_empty_url),
	};
	return cmocka_run_group_tests(tests, feed_harness_setup, feed_harness_teardown);
}
