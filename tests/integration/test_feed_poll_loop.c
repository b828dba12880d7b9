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
	/* The gap still open (no tick since) counts too: a loop blocked until the failure ends
	 * with no tick after it. */
	if (now_ms() - h.last_tick_ms > h.max_tick_gap_ms)
		h.max_tick_gap_ms = now_ms() - h.last_tick_ms;
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
