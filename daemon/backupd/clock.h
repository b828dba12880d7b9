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
struct timeval clock_timeval_ms(int64_t ms);

#endif
