/* SPDX-License-Identifier: ISC */
/* loop_trace: with BACKUPD_TRACE=loop (include/trace_env.h), a 1 ms tick on the event loop.
 * For each 100 ms in which a tick came 2 ms late or more it writes one line to stderr:
 *   backupd-trace loop at_ms=WALL busy_max_ms=B late_max_ms=L
 * busy: the loop thread's CPU time between two ticks (its own work); late: how much later
 * than 1 ms a tick came (that work plus time off the CPU). tests/bench/metrics_bench.sh uses
 * it to tell the loop's own stalls from the scheduler's. Off, it costs nothing. */
#ifndef BACKUPD_LOOP_TRACE_H
#define BACKUPD_LOOP_TRACE_H

struct event_base;
struct loop_trace;

/* A new event base (NULL when libevent cannot make one). With the trace on, its timers read
 * CLOCK_MONOTONIC: by default libevent reads CLOCK_MONOTONIC_COARSE, which moves in jiffies
 * (4 ms on this HZ=250 kernel), so the 1 ms tick came every 4 ms and its busy summed 4 ms of
 * loop turns, however short each was. */
struct event_base *loop_trace_base_new(void);
/* NULL unless BACKUPD_TRACE asks for it. */
struct loop_trace *loop_trace_new(struct event_base *base);
void loop_trace_free(struct loop_trace *trace);

#endif
