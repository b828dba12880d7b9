/* SPDX-License-Identifier: ISC */
/* The config tests' shared fixture (config_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "config_fixture.h"

int config_fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_config.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->main_path, sizeof(f->main_path), "%s/backupd.conf", f->dir);
	snprintf(f->dropin_dir, sizeof(f->dropin_dir), "%s/backupd.conf.d", f->dir);
	config_defaults(&f->config);
	*state = f;
	return 0;
}

int config_fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char command[160];

	config_free(&f->config);
	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	free(f);
	return 0;
}

void write_bytes(const char *path, const char *bytes, size_t length)
{
	FILE *file = fopen(path, "we");

	assert_non_null(file);
	assert_int_equal(fwrite(bytes, 1, length, file), length);
	assert_int_equal(fclose(file), 0);
}

void write_dropin(struct fixture *f, const char *name, const char *text)
{
	char path[256];

	mkdir(f->dropin_dir, 0755);
	snprintf(path, sizeof(path), "%s/%s", f->dropin_dir, name);
	write_bytes(path, text, strlen(text));
}

int load_text(struct fixture *f, const char *text)
{
	write_bytes(f->main_path, text, strlen(text));
	return config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err));
}

void load_ok(struct fixture *f, const char *text)
{
	if (load_text(f, text) != 0)
		fail_msg("unexpected error: %s", f->err);
}

void expect_error_bytes(struct fixture *f, const char *bytes, size_t length, const char *suffix)
{
	struct backupd_config before = f->config;
	char expected[1024];

	write_bytes(f->main_path, bytes, length);
	snprintf(expected, sizeof(expected), "%s%s", f->main_path, suffix);
	assert_int_equal(
	    config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err, expected);
	assert_memory_equal(&before, &f->config, sizeof(before));
}

void expect_error(struct fixture *f, const char *text, const char *suffix)
{
	expect_error_bytes(f, text, strlen(text), suffix);
}
