/* SPDX-License-Identifier: ISC */
/* alert_command_bench: a burst of N transitions through AlertCommand on a real event loop.
 * N phones each start failing backup_enabled in one loop turn (alert.c decides, the journal
 * and the alert command both get each transition); the command is COMMAND (default
 * /bin/true). Prints the time until every command has run and ended, the runs by result, the
 * drops, and the loop's longest stall meanwhile (a 1 ms timer: the largest lateness of a
 * tick, and the largest CPU time of the loop's thread between two ticks, which leaves out
 * the scheduler's share on a loaded machine). The burst itself is one loop turn here (in
 * the daemon each transition comes with its own probe result) and is reported apart. Usage:
 * alert_command_bench [N [COMMAND [JOBS]]] */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "alert.h"
#include "clock.h"
#include "config.h"
#include "hook_runner.h"

#define TICK_MS 1

struct bench {
	struct event_base *base;
	struct hook_runner *runner;
	struct alert_consumer consumer; /* the runner's, as the daemon wires it to the fleet */
	struct event *tick, *burst;
	int n;
	struct device_record *recs;
	int64_t burst_ms, last_tick_ms, longest_stall_ms, done_ms, burst_cost_ms;
	int64_t last_cpu_us, longest_busy_us; /* the loop thread's CPU time between two ticks */
	bool after_burst; /* the next tick's gap holds the burst itself: reported apart */
};

/* CPU time of the loop's thread: lateness of a tick that is not this time was the scheduler
 * (2 shared cores, children starting), not work done on the loop. */
static int64_t thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	struct bench *b = arg;
	int64_t now = clock_monotonic_ms();
	int64_t late = now - b->last_tick_ms - TICK_MS;
	struct hook_stats stats;

	(void)fd;
	(void)what;
	int64_t cpu = thread_cpu_us();
	if (late > b->longest_stall_ms && !b->after_burst)
		b->longest_stall_ms = late;
	if (cpu - b->last_cpu_us > b->longest_busy_us && !b->after_burst)
		b->longest_busy_us = cpu - b->last_cpu_us;
	b->after_burst = false;
	b->last_tick_ms = now;
	b->last_cpu_us = cpu;
	hook_runner_stats(b->runner, &stats);
	uint64_t ended = stats.dropped;
	for (int i = 0; i < HOOK_RESULT_COUNT; i++)
		ended += stats.runs[i];
	if (b->burst_ms && ended >= (uint64_t)b->n) {
		b->done_ms = now;
		event_base_loopbreak(b->base);
	}
}

static void burst(evutil_socket_t fd, short what, void *arg)
{
	struct bench *b = arg;
	struct verdict verdicts[PRECOND_COUNT] = {0};
	int64_t now = clock_wall_unix();
	const struct alert_sink sink = {NULL, NULL, &b->consumer};

	(void)fd;
	(void)what;
	for (int i = 0; i < PRECOND_COUNT; i++)
		verdicts[i].state = VERDICT_UNKNOWN;
	verdicts[PRECOND_BACKUP_ENABLED].state = VERDICT_FAILING;
	strcpy(verdicts[PRECOND_BACKUP_ENABLED].reason, "iCloud Backup is off");
	b->burst_ms = clock_monotonic_ms();
	for (int i = 0; i < b->n; i++)
		alert_device_verdicts(&b->recs[i], verdicts, now, 0, &sink);
	b->burst_cost_ms = clock_monotonic_ms() - b->burst_ms;
	b->after_burst = true;
}

int main(int argc, char **argv)
{
	struct bench b = {.n = argc > 1 ? atoi(argv[1]) : 1000};
	struct backupd_config config;
	struct timeval every = clock_timeval_ms(TICK_MS), soon = clock_timeval_ms(50);
	struct hook_stats stats;

	config_defaults(&config);
	snprintf(config.alert_command, sizeof(config.alert_command), "%s",
	         argc > 2 ? argv[2] : "/bin/true");
	config.alert_command_queue = b.n;
	if (argc > 3)
		config.alert_command_jobs = atoi(argv[3]);
	evthread_use_pthreads();
	b.base = event_base_new();
	b.runner = hook_runner_new(b.base, &config);
	b.consumer = hook_runner_consumer(b.runner);
	b.recs = calloc((size_t)b.n, sizeof(*b.recs));
	for (int i = 0; i < b.n; i++) {
		snprintf(b.recs[i].udid, sizeof(b.recs[i].udid), "BENCH-%05d", i);
		facts_init(&b.recs[i].facts, b.recs[i].udid);
		snprintf(b.recs[i].facts.name, sizeof(b.recs[i].facts.name), "Cart %d #%d", i / 30,
		         i % 30);
	}
	b.tick = event_new(b.base, -1, EV_PERSIST, tick, &b);
	b.burst = evtimer_new(b.base, burst, &b);
	b.last_tick_ms = clock_monotonic_ms();
	b.last_cpu_us = thread_cpu_us();
	event_add(b.tick, &every);
	event_add(b.burst, &soon);
	event_base_dispatch(b.base);
	hook_runner_stats(b.runner, &stats);
	printf("alert command burst: %d transitions, command %s, AlertCommandJobs=%d\n", b.n,
	       config.alert_command, config.alert_command_jobs);
	printf("  all ran in %" PRId64 " ms (%.2f ms per alert); deciding and queueing the burst "
	       "took %" PRId64 " ms of the loop\n",
	       b.done_ms - b.burst_ms, (double)(b.done_ms - b.burst_ms) / b.n, b.burst_cost_ms);
	printf("  runs: ok %" PRIu64 ", failed %" PRIu64 ", timeout %" PRIu64 ", signal %" PRIu64
	       ", error %" PRIu64 "; dropped %" PRIu64 "\n",
	       stats.runs[HOOK_RESULT_OK], stats.runs[HOOK_RESULT_FAILED],
	       stats.runs[HOOK_RESULT_TIMEOUT], stats.runs[HOOK_RESULT_SIGNAL],
	       stats.runs[HOOK_RESULT_ERROR], stats.dropped);
	printf("  loop's longest stall (1 ms tick lateness, after the burst): %" PRId64 " ms\n",
	       b.longest_stall_ms);
	printf("  loop's longest busy stretch (its thread's CPU time between two ticks): %.1f ms\n",
	       (double)b.longest_busy_us / 1000.0);
	fflush(stdout);
	hook_runner_free(b.runner);
	event_free(b.tick);
	event_free(b.burst);
	event_base_free(b.base);
	free(b.recs);
	config_free(&config);
	return 0;
}
