/* Relative times for people: the largest unit that gives a whole number, rounded down. */
#include <stdio.h>

#include "ago.h"

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

const char *format_ago(int64_t then_unix, int64_t now_unix, char *buffer, size_t size)
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
