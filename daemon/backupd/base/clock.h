/* SPDX-License-Identifier: ISC */
/* Clocks: monotonic for time limits and intervals, wall clock for what people read. */
#ifndef BACKUPD_CLOCK_H
#define BACKUPD_CLOCK_H

#include <stdint.h>
#include <sys/time.h>

int64_t clock_monotonic_ms(void);
/* The wall clock. For tests, BACKUPD_CLOCK_OFFSET_FILE=PATH names a file whose number (seconds)
 * is added (re-read at most once a second), so a test moves time forward without waiting;
 * unset, nothing is read. */
int64_t clock_wall_unix(void);
/* Seconds for "how long has this lasted": the monotonic clock (a step of the wall clock, NTP
 * at boot or date -s, does not move it), plus the same test offset, so a test that moves the
 * wall clock moves this too. Always >= 1, so 0 can mean "not started". */
int64_t clock_elapsed_s(void);
struct timeval clock_timeval_ms(int64_t ms);
/* The wall clock in ms, with no test offset: for BACKUPD_TRACE lines, which a benchmark sets
 * against its own `date +%s%N`. */
int64_t clock_realtime_ms(void);

#endif
