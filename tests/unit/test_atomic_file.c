/* SPDX-License-Identifier: ISC */
/* atomic_file.c: a write replaces the file whole or leaves the old one, leaves no temp file,
 * and its message names the first failure (a full disk must say so, not what cleanup saw). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomic_file.h"

static char dir[] = "/tmp/test_atomic_file.XXXXXX";

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_atomic_file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t entries_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static void read_back(const char *name, char *buf, size_t size)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void test_write_replaces_whole(void **state)
{
	char err[256] = "", buf[64];

	(void)state;
	assert_int_equal(atomic_file_write(dir, "f", "old", 3, err, sizeof(err)), 0);
	assert_int_equal(atomic_file_write(dir, "f", "newer", 5, err, sizeof(err)), 0);
	read_back("f", buf, sizeof(buf));
	assert_string_equal(buf, "newer");
	assert_int_equal(entries_in_dir(), 1);
}

/* A file size limit stands in for a full disk: the write fails with EFBIG part way. */
static void test_full_disk_keeps_old_and_names_cause(void **state)
{
	static char big[256 * 1024];
	struct rlimit old_limit, small = {.rlim_cur = 4096};
	char err[256] = "", buf[64];
	int rc;

	(void)state;
	assert_int_equal(atomic_file_write(dir, "f", "old", 3, err, sizeof(err)), 0);
	memset(big, 'x', sizeof(big));
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
	small.rlim_max = old_limit.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = atomic_file_write(dir, "f", big, sizeof(big), err, sizeof(err));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, strerror(EFBIG)));
	read_back("f", buf, sizeof(buf));
	assert_string_equal(buf, "old");
	assert_int_equal(entries_in_dir(), 1);
}

static void test_missing_dir_named(void **state)
{
	char err[256] = "", missing[300];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/none", dir);
	assert_int_equal(atomic_file_write(missing, "f", "x", 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, missing));
	assert_non_null(strstr(err, strerror(ENOENT)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_write_replaces_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full_disk_keeps_old_and_names_cause, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_missing_dir_named, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
