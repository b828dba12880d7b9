/* SPDX-License-Identifier: ISC */
/* config_values: the time span and size parsers on their own (config.h), no files. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"

#define SECOND 1000LL
#define MINUTE (60 * SECOND)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

struct parse_case {
	const char *text;
	int error;     /* 0, EINVAL or ERANGE */
	int64_t value; /* when error is 0 */
};

static void check_parser(int (*parse)(const char *, int64_t *), const struct parse_case *cases,
                         size_t n_cases)
{
	for (size_t i = 0; i < n_cases; i++) {
		int64_t value = -42;
		int result;

		errno = 0;
		result = parse(cases[i].text, &value);
		if (result != (cases[i].error ? -1 : 0) ||
		    (result == 0 && value != cases[i].value) ||
		    (result != 0 && errno != cases[i].error))
			fail_msg("\"%s\": got %d, errno %d, value %" PRId64, cases[i].text, result,
			         errno, value);
	}
}

#define N_CASES(cases) (sizeof(cases) / sizeof((cases)[0]))

static void test_parse_timespan(void **state)
{
	static const struct parse_case cases[] = {
	    {"90", 0, 90 * SECOND},
	    {"90s", 0, 90 * SECOND},
	    {"500ms", 0, 500},
	    {"5min", 0, 5 * MINUTE},
	    {"5m", 0, 5 * MINUTE},
	    {"36h", 0, 36 * HOUR},
	    {"2d", 0, 2 * DAY},
	    {"1w", 0, 7 * DAY},
	    {"1h 30min", 0, 90 * MINUTE},
	    {"1h30min", 0, 90 * MINUTE},
	    {"5 min", 0, 5 * MINUTE},
	    {"0", 0, 0},
	    {"2 hours", 0, 2 * HOUR},
	    {"1 day 2 h", 0, 26 * HOUR},
	    {" 3s", 0, 3 * SECOND},
	    {"9223372036854775807ms", 0, INT64_MAX},
	    {"", EINVAL, 0},
	    {"s", EINVAL, 0},
	    {"5 apples", EINVAL, 0},
	    {"1h 30", EINVAL, 0},
	    {"-1s", EINVAL, 0},
	    {"1.5h", EINVAL, 0},
	    {"5MIN", EINVAL, 0},
	    {"5min,", EINVAL, 0},
	    {"5 min x", EINVAL, 0},
	    {"h5", EINVAL, 0},
	    {"5sec s", EINVAL, 0},
	    {"9223372036854775808ms", ERANGE, 0},
	    {"9223372036854776s", ERANGE, 0},
	    {"9223372036854775807ms 1ms", ERANGE, 0},
	};

	(void)state;
	check_parser(config_parse_timespan_ms, cases, N_CASES(cases));
}

static void test_parse_size(void **state)
{
	static const struct parse_case cases[] = {
	    {"1024", 0, 1024},
	    {"5G", 0, 5000000000LL},
	    {"5GB", 0, 5000000000LL},
	    {"5 GB", 0, 5000000000LL},
	    {"5g", 0, 5000000000LL},
	    {"500M", 0, 500000000LL},
	    {"1T", 0, 1000000000000LL},
	    {"2KB", 0, 2000},
	    {"1KiB", 0, 1024},
	    {"1GiB", 0, 1073741824LL},
	    {"2TiB", 0, 2199023255552LL},
	    {"7B", 0, 7},
	    {"9223372036854775807", 0, INT64_MAX},
	    {"", EINVAL, 0},
	    {"G", EINVAL, 0},
	    {"5 apples", EINVAL, 0},
	    {"-5G", EINVAL, 0},
	    {"5.5G", EINVAL, 0},
	    {"5GG", EINVAL, 0},
	    {" 5G", EINVAL, 0},
	    {"5G ", EINVAL, 0},
	    {"9223372036854775808", ERANGE, 0},
	    {"9223372037G", ERANGE, 0},
	};

	(void)state;
	check_parser(config_parse_size_bytes, cases, N_CASES(cases));
}

/* ---- files that are missing or not files --------------------------------------------- */

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_timespan),
	    cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
