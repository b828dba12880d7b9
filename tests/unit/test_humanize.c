/* SPDX-License-Identifier: ISC */
/* humanize: durations, GB and UTC times as people read them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "humanize.h"

static void test_duration(void **state)
{
	static const struct {
		int64_t seconds;
		const char *text;
	} cases[] = {
	    {-5, "0 s"},
	    {0, "0 s"},
	    {59, "59 s"},
	    {60, "1 min"},
	    {45 * 60, "45 min"},
	    {3599, "59 min"},
	    {3600, "1 h"},
	    {3 * 3600 + 59, "3 h"},
	    {36 * 3600, "36 h"},
	    {47 * 3600, "47 h"},
	    {48 * 3600, "2 d"},
	    {52 * 3600, "2 d 4 h"},
	    {52 * 3600 + 3599, "2 d 4 h"},
	    {30 * 86400, "30 d"},
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(humanize_duration(cases[i].seconds, buf, sizeof(buf)),
		                    cases[i].text);
}

static void test_duration_truncates_to_buffer(void **state)
{
	char buf[4];

	(void)state;
	assert_string_equal(humanize_duration(52 * 3600, buf, sizeof(buf)), "2 d");
}

static void test_gb(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(humanize_gb(5000000000LL, buf, sizeof(buf)), "5.0 GB");
	assert_string_equal(humanize_gb(4999999999LL, buf, sizeof(buf)), "4.9 GB");
	assert_string_equal(humanize_gb(12345678901LL, buf, sizeof(buf)), "12.3 GB");
	assert_string_equal(humanize_gb(0, buf, sizeof(buf)), "0.0 GB");
	assert_string_equal(humanize_gb(-1500000000LL, buf, sizeof(buf)), "-1.5 GB");
}

static void test_utc(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(humanize_utc(0, buf, sizeof(buf)), "1970-01-01 00:00 UTC");
	assert_string_equal(humanize_utc(1795963500, buf, sizeof(buf)), "2026-11-29 14:45 UTC");
	/* beyond what gmtime can represent: still a readable, exact value */
	assert_string_equal(humanize_utc(INT64_MAX, buf, sizeof(buf)), "@9223372036854775807");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_duration_truncates_to_buffer),
	    cmocka_unit_test(test_gb),
	    cmocka_unit_test(test_utc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
