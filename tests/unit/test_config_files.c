/* SPDX-License-Identifier: ISC */
/* config: which files are read: drop-ins in strcmp order, a missing main file, and files that
 * are not regular (directories, dangling links, FIFOs) refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config_fixture.h"

/* ---- drop-ins -------------------------------------------------------------------------- */

static void test_dropins_in_strcmp_order(void **state)
{
	struct fixture *f = *state;

	write_dropin(f, "9-last.conf", "[Probe]\nPollInterval=9min\n");
	write_dropin(f, "10-first.conf", "[Probe]\nPollInterval=1min\nWorkers=10\n");
	write_dropin(f, "20-second.conf", "[Probe]\nPollInterval=2min\n[Rules]\nMinimumIOS=17\n");
	write_dropin(f, "Z-upper.conf", "[Probe]\nPollInterval=3min\n"); /* 'Z' sorts after '9' */
	write_dropin(f, "README", "not a config file");
	write_dropin(f, "30.conf.bak", "garbage");
	write_dropin(f, ".hidden.conf", "garbage");
	load_ok(f, "[Probe]\nPollInterval=30s\nWorkers=2\nProbeTimeout=3s\n");
	/* strcmp order: 10-first, 20-second, 9-last, Z-upper */
	assert_int_equal(f->config.poll_interval_ms, 3 * MINUTE);
	assert_int_equal(f->config.workers, 10);
	assert_int_equal(f->config.probe_timeout_ms, 3 * SECOND);
	assert_string_equal(RULE_LIMIT(f->config.limits, IOS_CURRENT, 0).text, "17");
}

static void test_dropins_without_main_file(void **state)
{
	struct fixture *f = *state;

	write_dropin(f, "a.conf", "[Alerts]\nAlertHoldoff=2h\n");
	assert_int_equal(
	    config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->config.alert_holdoff_ms, 2 * HOUR);
}

static void test_dropin_starts_outside_any_section(void **state)
{
	struct fixture *f = *state;
	char expected[512];

	write_dropin(f, "a.conf", "Workers=3\n");
	assert_int_equal(load_text(f, "[Probe]\n"), -1);
	snprintf(expected, sizeof(expected),
	         "%s/a.conf:1: Workers: key outside any section; it belongs in [Probe]",
	         f->dropin_dir);
	assert_string_equal(f->err, expected);
}

static void test_error_in_dropin_names_it(void **state)
{
	struct fixture *f = *state;
	struct backupd_config before;
	char expected[512];

	load_ok(f, "[Probe]\nWorkers=7\n[Device " UDID_LEGACY "]\nICloudQuota=1T\n");
	before = f->config;
	write_dropin(f, "a.conf", "[Probe]\nWorkers=8\n");
	write_dropin(f, "b.conf", "# fine\n[Probe]\n\nWorkers=many\n");
	assert_int_equal(load_text(f, "[Probe]\nWorkers=9\n"), -1);
	snprintf(expected, sizeof(expected),
	         "%s/b.conf:4: Workers: expected a whole number from 1 to 256, got \"many\"",
	         f->dropin_dir);
	assert_string_equal(f->err, expected);
	assert_memory_equal(&before, &f->config, sizeof(before));
	assert_int_equal(f->config.workers, 7);
	assert_int_equal(f->config.n_devices, 1);
}

static void test_dropin_dir_errors(void **state)
{
	struct fixture *f = *state;
	char expected[512], path[256];

	write_bytes(f->dropin_dir, "x", 1); /* a file where the directory should be */
	assert_int_equal(load_text(f, ""), -1);
	snprintf(expected, sizeof(expected), "%s: cannot open directory: Not a directory",
	         f->dropin_dir);
	assert_string_equal(f->err, expected);

	unlink(f->dropin_dir);
	mkdir(f->dropin_dir, 0755);
	snprintf(path, sizeof(path), "%s/dir.conf", f->dropin_dir);
	mkdir(path, 0755);
	assert_int_equal(load_text(f, ""), -1);
	snprintf(expected, sizeof(expected), "%s: not a regular file (a directory); refused", path);
	assert_string_equal(f->err, expected);
	rmdir(path);

	assert_int_equal(symlink("/nonexistent/x", path), 0); /* dangling drop-in */
	assert_int_equal(load_text(f, ""), -1);
	snprintf(expected, sizeof(expected), "%s: cannot open: No such file or directory", path);
	assert_string_equal(f->err, expected);
}

static void test_main_file_unreadable(void **state)
{
	struct fixture *f = *state;
	char expected[512];

	mkdir(f->main_path, 0755);
	assert_int_equal(config_load(&f->config, f->main_path, NULL, f->err, sizeof(f->err)), -1);
	snprintf(expected, sizeof(expected), "%s: not a regular file (a directory); refused",
	         f->main_path);
	assert_string_equal(f->err, expected);
}

static void test_named_main_file_must_exist(void **state)
{
	struct fixture *f = *state;
	char expected[256];

	f->config.workers = 3;
	assert_int_equal(
	    config_load_existing(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)),
	    -1);
	snprintf(expected, sizeof(expected), "%s: cannot open: No such file or directory",
	         f->main_path);
	assert_string_equal(f->err, expected);
	assert_int_equal(f->config.workers, 3); /* the running config is kept */
	load_ok(f, "[Probe]\nWorkers=5\n");
	assert_int_equal(
	    config_load_existing(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(f->config.workers, 5);
}

/* A FIFO nobody writes to would block open() or read() forever: the alarm turns a hang into a
 * failure instead of a stuck test. */
static void expect_fifo_refused(struct fixture *f, const char *fifo)
{
	char expected[300];

	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(5);
	assert_int_equal(
	    config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)), -1);
	alarm(0);
	snprintf(expected, sizeof(expected), "%s: not a regular file (a FIFO); refused", fifo);
	assert_string_equal(f->err, expected);
	unlink(fifo);
}

static void test_fifo_refused_at_once(void **state)
{
	struct fixture *f = *state;
	char dropin[256];

	expect_fifo_refused(f, f->main_path);
	load_ok(f, "[Probe]\nWorkers=5\n");
	mkdir(f->dropin_dir, 0755);
	snprintf(dropin, sizeof(dropin), "%s/10-fifo.conf", f->dropin_dir);
	expect_fifo_refused(f, dropin);
	assert_int_equal(f->config.workers, 5);
	snprintf(dropin, sizeof(dropin), "%s/20-dir.conf", f->dropin_dir);
	assert_int_equal(mkdir(dropin, 0755), 0);
	assert_int_equal(
	    config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "not a regular file (a directory); refused"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_dropins_in_strcmp_order),
	    TEST(test_dropins_without_main_file),
	    TEST(test_dropin_starts_outside_any_section),
	    TEST(test_error_in_dropin_names_it),
	    TEST(test_dropin_dir_errors),
	    TEST(test_main_file_unreadable),
	    TEST(test_named_main_file_must_exist),
	    TEST(test_fifo_refused_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
