/* SPDX-License-Identifier: ISC */
/* loop_trace: see loop_trace.h. */
#include "loop_trace.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "clock.h"
#include "trace_env.h"
#include "xmalloc.h"

#define TICK_US   1000
#define WINDOW_US 100000 /* fine enough to tell a burst from what follows it */
#define WORTH_US  2000   /* quieter windows are not written */

struct loop_trace {
	struct event *tick;
	int64_t last_us, last_cpu_us, window_start_us;
	int64_t busy_max_us, late_max_us;
};

static int64_t now_us(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void report(struct loop_trace *t, int64_t now)
{
	if (t->late_max_us >= WORTH_US)
		fprintf(stderr, "backupd-trace loop at_ms=%lld busy_max_ms=%.2f late_max_ms=%.2f\n",
		        (long long)clock_realtime_ms(), (double)t->busy_max_us / 1000.0,
		        (double)t->late_max_us / 1000.0);
	t->busy_max_us = t->late_max_us = 0;
	t->window_start_us = now;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct loop_trace *t = arg;
	int64_t now = now_us(CLOCK_MONOTONIC), cpu = now_us(CLOCK_THREAD_CPUTIME_ID);
	int64_t busy = cpu - t->last_cpu_us, late = now - t->last_us - TICK_US;
	if (busy > t->busy_max_us)
		t->busy_max_us = busy;
	if (late > t->late_max_us)
		t->late_max_us = late;
	t->last_us = now;
	t->last_cpu_us = cpu;
	if (now - t->window_start_us >= WINDOW_US)
		report(t, now);
}

struct event_base *loop_trace_base_new(void)
{
	if (!trace_env_wants("loop"))
		return event_base_new();
	struct event_config *config = event_config_new();
	if (config == NULL)
		return NULL;
	event_config_set_flag(config, EVENT_BASE_FLAG_PRECISE_TIMER);
	struct event_base *base = event_base_new_with_config(config);
	event_config_free(config);
	return base;
}

struct loop_trace *loop_trace_new(struct event_base *base)
{
	if (!trace_env_wants("loop"))
		return NULL;
	struct loop_trace *t = xcalloc(1, sizeof(*t));
	t->last_us = t->window_start_us = now_us(CLOCK_MONOTONIC);
	t->last_cpu_us = now_us(CLOCK_THREAD_CPUTIME_ID);
	t->tick = event_new(base, -1, EV_PERSIST, tick, t);
	struct timeval every = {0, TICK_US};
	event_add(t->tick, &every);
	return t;
}

void loop_trace_free(struct loop_trace *t)
{
	if (!t)
		return;
	event_free(t->tick);
	free(t);
}
