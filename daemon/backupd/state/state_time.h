/* SPDX-License-Identifier: ISC */
/* state_time: the one bound on every time read from the state file. A file edited by hand or
 * damaged may hold any integer; a time outside the dates a phone can have (facts.h) reads as
 * 0 ("unknown", "never"), so no loaded time overflows the arithmetic that uses it
 * (last_seen = INT64_MIN overflowed forget.c's "now - last_seen"). */
#ifndef BACKUPD_STATE_TIME_H
#define BACKUPD_STATE_TIME_H

#include <stdint.h>

#include <jansson.h>

/* value's time in Unix seconds when it is an integer within the bounds, else 0. */
int64_t state_time(const json_t *value);

#endif
