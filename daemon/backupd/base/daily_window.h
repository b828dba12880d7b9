/* SPDX-License-Identifier: ISC */
/* daily_window: a window of local time repeated every day, "18:00-07:00" (HH:MM-HH:MM, 24 h;
 * an end at or before the start wraps midnight), as [Rules] OnCartHours= and [Actions]
 * AutoRestart= write it. */
#ifndef BACKUPD_DAILY_WINDOW_H
#define BACKUPD_DAILY_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

struct daily_window {
	int start_min, end_min; /* minutes after local midnight; end <= start wraps midnight */
};

/* Parses "18:00-07:00". Returns 0, or -1 when it is not such a window or both ends are
 * equal. out may be NULL (just checks). */
int daily_window_parse(const char *text, struct daily_window *out);
/* Parses an [Actions] AutoRestart= value: 1 with *out set for "stale HH:MM-HH:MM", 0 for ""
 * or "no" (off), -1 for anything else. out may be NULL (just checks). Here, not in action/,
 * so that the config checks the value without knowing the actions. */
int daily_window_parse_auto_restart(const char *text, struct daily_window *out);
/* Whether minute_of_day (0..1439) is inside the window. Pure. */
bool daily_window_inside(const struct daily_window *window, int minute_of_day);
/* The local minute of the day at now_unix, -1 when the time cannot be converted. */
int daily_window_local_minute(int64_t now_unix);
/* Which day's window now_unix falls in: the local date the window opened on, as days since
 * 1970-01-01 (a window that wraps midnight belongs to the evening it opened), or -1 when now
 * is outside the window. Two times get the same number exactly when they are in the same
 * opening of the window. */
int64_t daily_window_day(const struct daily_window *window, int64_t now_unix);

#endif
