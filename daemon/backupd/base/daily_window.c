/* SPDX-License-Identifier: ISC */
/* See daily_window.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daily_window.h"

/* AutoRestart= says what, then when. */
#define STALE_WORD "stale "

#define SECONDS_PER_DAY 86400

static int parse_clock(const char *text, int *minutes)
{
	int h, m, used = 0;
	if (sscanf(text, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int daily_window_parse(const char *text, struct daily_window *out)
{
	struct daily_window w;
	if (strlen(text) != 11 || text[5] != '-' || parse_clock(text, &w.start_min) < 0 ||
	    parse_clock(text + 6, &w.end_min) < 0 || w.start_min == w.end_min)
		return -1;
	if (out)
		*out = w;
	return 0;
}

bool daily_window_inside(const struct daily_window *window, int minute_of_day)
{
	if (window->start_min < window->end_min)
		return minute_of_day >= window->start_min && minute_of_day < window->end_min;
	return minute_of_day >= window->start_min || minute_of_day < window->end_min;
}

static bool local_time(int64_t now_unix, struct tm *tm)
{
	time_t t = (time_t)now_unix;
	return localtime_r(&t, tm) != NULL;
}

int daily_window_local_minute(int64_t now_unix)
{
	struct tm tm;
	if (!local_time(now_unix, &tm))
		return -1;
	return tm.tm_hour * 60 + tm.tm_min;
}

/* The local calendar date as a day count; tm_gmtoff carries the zone's offset (DST included)
 * so the count changes at local midnight, not at UTC's. */
static int64_t local_day_number(int64_t now_unix, const struct tm *tm)
{
	int64_t local = now_unix + tm->tm_gmtoff;
	int64_t day = local / SECONDS_PER_DAY;
	return local % SECONDS_PER_DAY < 0 ? day - 1 : day;
}

int64_t daily_window_day(const struct daily_window *window, int64_t now_unix)
{
	struct tm tm;
	if (!local_time(now_unix, &tm))
		return -1;
	int minute = tm.tm_hour * 60 + tm.tm_min;
	if (!daily_window_inside(window, minute))
		return -1;
	int64_t day = local_day_number(now_unix, &tm);
	bool opened_yesterday = window->start_min > window->end_min && minute < window->end_min;
	return opened_yesterday ? day - 1 : day;
}

int daily_window_parse_auto_restart(const char *text, struct daily_window *out)
{
	if (text[0] == '\0' || strcmp(text, "no") == 0)
		return 0;
	size_t word = strlen(STALE_WORD);
	if (strncmp(text, STALE_WORD, word) != 0 || daily_window_parse(text + word, out) < 0)
		return -1;
	return 1;
}
