/* SPDX-License-Identifier: ISC */
/* config_fixture: what the config loader's tests (test_config*.c) share: a fresh mkdtemp
 * directory per test with a main file and a drop-in directory, and the load helpers that
 * write real files into it and check the outcome. */
#ifndef BACKUPD_TEST_CONFIG_FIXTURE_H
#define BACKUPD_TEST_CONFIG_FIXTURE_H

#include <stddef.h>

#include "config.h"

#define UDID_LEGACY "0123456789abcdef0123456789abcdef01234567"
#define UDID_MODERN "00008030-001A2B3C4D5E6F70"
#define SECOND      1000LL
#define MINUTE      (60 * SECOND)
#define HOUR        (60 * MINUTE)
#define DAY         (24 * HOUR)

struct fixture {
	char dir[64];
	char main_path[128];
	char dropin_dir[128];
	struct backupd_config config;
	char err[512];
};

int config_fixture_setup(void **state);
int config_fixture_teardown(void **state);

#define TEST(name)                                                                                 \
	cmocka_unit_test_setup_teardown(name, config_fixture_setup, config_fixture_teardown)

void write_bytes(const char *path, const char *bytes, size_t length);
void write_dropin(struct fixture *f, const char *name, const char *text);
int load_text(struct fixture *f, const char *text);
void load_ok(struct fixture *f, const char *text);
/* Expects the load to fail with "<main file><suffix>" and to leave the config alone. */
void expect_error_bytes(struct fixture *f, const char *bytes, size_t length, const char *suffix);
void expect_error(struct fixture *f, const char *text, const char *suffix);

#endif
