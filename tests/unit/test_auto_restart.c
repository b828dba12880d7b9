/* SPDX-License-Identifier: ISC */
/* AutoRestart=: its value, its config errors (file:line), and which opening of the daily
 * window a moment belongs to (local time, midnight wrap, a zone that is not UTC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "action_auto.h"
#include "config.h"
#include "daily_window.h"

#define DAY 86400
/* 2026-12-01 00:00:00 UTC, a Tuesday. */
#define DEC1 1796083200LL

static int64_t at(int day_offset, int hh, int mm)
{
	return DEC1 + (int64_t)day_offset * DAY + hh * 3600 + mm * 60;
}

static void use_zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_values(void **state)
{
	(void)state;
	struct daily_window w;
	assert_int_equal(daily_window_parse_auto_restart("", NULL), 0);
	assert_int_equal(daily_window_parse_auto_restart("no", NULL), 0);
	assert_int_equal(daily_window_parse_auto_restart("stale 02:00-05:00", &w), 1);
	assert_int_equal(w.start_min, 120);
	assert_int_equal(w.end_min, 300);
	const char *bad[] = {"yes",
	                     "stale",
	                     "stale ",
	                     "stale 02:00",
	                     "02:00-05:00",
	                     "stale  02:00-05:00",
	                     "stale 02:00-02:00",
	                     "Stale 02:00-05:00",
	                     "stale 02:00-05:00 "};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (daily_window_parse_auto_restart(bad[i], NULL) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
}

static int load(const char *text, struct backupd_config *config, char *err, size_t size)
{
	char path[] = "/tmp/test_auto_restart.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	config_defaults(config);
	int rc = config_load(config, path, NULL, err, size);
	unlink(path);
	return rc;
}

static void test_config(void **state)
{
	(void)state;
	struct backupd_config c;
	char err[512];
	assert_int_equal(load("[Actions]\nAutoRestart=stale 22:00-04:00\n", &c, err, sizeof(err)),
	                 0);
	assert_string_equal(c.auto_restart, "stale 22:00-04:00");
	assert_int_equal(c.auto_restart_max, 2);
	config_free(&c);
	assert_int_equal(load("[Actions]\n\nAutoRestart=at 2am\n", &c, err, sizeof(err)), -1);
	if (!strstr(err, ":3: AutoRestart: expected no, or stale and a daily window"))
		fail_msg("error: %s", err);
	assert_int_equal(load("[Actions]\nAutoRestartMax=0\n", &c, err, sizeof(err)), -1);
	if (!strstr(err, ":2: AutoRestartMax:"))
		fail_msg("error: %s", err);
}

static void test_day_in_utc(void **state)
{
	(void)state;
	use_zone("UTC");
	struct daily_window w;
	assert_int_equal(daily_window_parse("02:00-05:00", &w), 0);
	assert_true(daily_window_day(&w, at(0, 1, 59)) == -1);
	int64_t first = daily_window_day(&w, at(0, 2, 0));
	assert_true(first == DEC1 / DAY);
	assert_true(daily_window_day(&w, at(0, 4, 59)) == first);
	assert_true(daily_window_day(&w, at(0, 5, 0)) == -1);
	assert_true(daily_window_day(&w, at(1, 2, 0)) == first + 1);
}

/* A window over midnight belongs to the evening it opened: 23:30 and 00:30 are one opening. */
static void test_day_over_midnight(void **state)
{
	(void)state;
	use_zone("UTC");
	struct daily_window w;
	assert_int_equal(daily_window_parse("22:00-04:00", &w), 0);
	int64_t evening = daily_window_day(&w, at(0, 23, 30));
	assert_true(evening == DEC1 / DAY);
	assert_true(daily_window_day(&w, at(1, 0, 30)) == evening);
	assert_true(daily_window_day(&w, at(1, 3, 59)) == evening);
	assert_true(daily_window_day(&w, at(1, 4, 0)) == -1);
	assert_true(daily_window_day(&w, at(1, 12, 0)) == -1);
	assert_true(daily_window_day(&w, at(1, 22, 0)) == evening + 1);
}

/* Local time: in UTC+5 (POSIX TZ "XST-5", no tzdata needed) 02:00-05:00 local is
 * 21:00-24:00 UTC of the day before. */
static void test_day_in_another_zone(void **state)
{
	(void)state;
	use_zone("XST-5");
	struct daily_window w;
	assert_int_equal(daily_window_parse("02:00-05:00", &w), 0);
	assert_true(daily_window_day(&w, at(0, 2, 30)) == -1);   /* 07:30 local */
	int64_t local_dec3 = daily_window_day(&w, at(1, 21, 0)); /* 02:00 on Dec 3, local */
	assert_true(local_dec3 == DEC1 / DAY + 2);
	assert_true(daily_window_day(&w, at(1, 20, 59)) == -1); /* 01:59 local */
	assert_true(daily_window_day(&w, at(1, 23, 59)) == local_dec3);
	use_zone("UTC");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_day_in_utc),
	    cmocka_unit_test(test_day_over_midnight),
	    cmocka_unit_test(test_day_in_another_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
