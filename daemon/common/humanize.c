/* SPDX-License-Identifier: ISC */
/* Durations, sizes and times written for people, not parsers. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "humanize.h"

enum {
	SECONDS_PER_MINUTE = 60,
	SECONDS_PER_HOUR = 3600,
	SECONDS_PER_DAY = 86400,
	/* Up to two days, "36 h" reads better than "1 d 12 h". */
	HOURS_ONLY_BELOW = 2 * SECONDS_PER_DAY,
};

const char *humanize_duration(int64_t seconds, char *buf, size_t size)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < SECONDS_PER_MINUTE)
		snprintf(buf, size, "%" PRId64 " s", seconds);
	else if (seconds < SECONDS_PER_HOUR)
		snprintf(buf, size, "%" PRId64 " min", seconds / SECONDS_PER_MINUTE);
	else if (seconds < HOURS_ONLY_BELOW)
		snprintf(buf, size, "%" PRId64 " h", seconds / SECONDS_PER_HOUR);
	else if (seconds % SECONDS_PER_DAY < SECONDS_PER_HOUR)
		snprintf(buf, size, "%" PRId64 " d", seconds / SECONDS_PER_DAY);
	else
		snprintf(buf, size, "%" PRId64 " d %" PRId64 " h", seconds / SECONDS_PER_DAY,
		         seconds % SECONDS_PER_DAY / SECONDS_PER_HOUR);
	return buf;
}

const char *humanize_gb(int64_t bytes, char *buf, size_t size)
{
	/* Integer arithmetic in tenths of a GB avoids double rounding surprises (4.99 -> 4.9). */
	const int64_t tenth_gb = 100000000;
	int64_t tenths = bytes / tenth_gb;

	snprintf(buf, size, "%s%" PRId64 ".%" PRId64 " GB", tenths < 0 ? "-" : "",
	         (tenths < 0 ? -tenths : tenths) / 10, (tenths < 0 ? -tenths : tenths) % 10);
	return buf;
}

/* unix_time in UTC with strftime's format, or "@unix" when it cannot be shown. */
static const char *format_utc(int64_t unix_time, const char *format, char *buf, size_t size)
{
	time_t when = (time_t)unix_time;
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL || strftime(buf, size, format, &tm) == 0)
		snprintf(buf, size, "@%" PRId64, unix_time);
	return buf;
}

const char *humanize_utc(int64_t unix_time, char *buf, size_t size)
{
	return format_utc(unix_time, "%Y-%m-%d %H:%M UTC", buf, size);
}

const char *humanize_date(int64_t unix_time, char *buf, size_t size)
{
	return format_utc(unix_time, "%Y-%m-%d", buf, size);
}

/* A table column wants one unit: "3 h ago", "4 d ago" (the largest whole unit, rounded down). */
struct ago_unit {
	int64_t below_s; /* use this unit while the age is below this many seconds */
	int64_t unit_s;
	const char *name;
};

/* Hours up to two days, so "36 h ago" reads against a 36 h MaxBackupAge. */
static const struct ago_unit units[] = {
    {60, 1, "s"},
    {60 * 60, 60, "min"},
    {48 * 60 * 60, 60 * 60, "h"},
    {INT64_MAX, 24 * 60 * 60, "d"},
};

const char *humanize_ago(int64_t then_unix, int64_t now_unix, char *buffer, size_t size)
{
	int64_t age = now_unix - then_unix;
	if (age < 0) {
		snprintf(buffer, size, "in the future");
		return buffer;
	}
	size_t i = 0;
	while (age >= units[i].below_s)
		i++;
	snprintf(buffer, size, "%lld %s ago", (long long)(age / units[i].unit_s), units[i].name);
	return buffer;
}
