/* Durations, sizes and times written for people, not parsers. */
#include <inttypes.h>
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

const char *humanize_utc(int64_t unix_time, char *buf, size_t size)
{
	time_t when = (time_t)unix_time;
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, size, "@%" PRId64, unix_time);
	return buf;
}
