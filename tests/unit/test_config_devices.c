/* SPDX-License-Identifier: ISC */
/* config: [Device UDID] sections: overrides merged over the fleet-wide [Rules], how many there
 * may be, and the UDIDs a header may name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "config_fixture.h"

/* ---- devices --------------------------------------------------------------------------- */

static void test_device_overrides(void **state)
{
	struct fixture *f = *state;
	struct rule_limits limits;

	write_dropin(f, "a.conf",
	             "[Device 0123456789ABCDEF0123456789ABCDEF01234567]\nMaxBackupAge=3d\n");
	load_ok(f, "[Rules]\nMinimumIOS=16\n"
	           "[Device " UDID_LEGACY "]\nICloudQuota=50G\n"
	           "[Device " UDID_MODERN "]\nMinimumIOS=17.2\nICloudQuota=2T\nICloudQuota=\n"
	           "[Rules]\nICloudQuota=200G\n");
	assert_int_equal(f->config.n_devices, 2);
	assert_string_equal(f->config.devices[0].udid, UDID_LEGACY); /* stored as first given */

	limits = config_limits_for(&f->config, UDID_LEGACY);
	assert_string_equal(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "16");
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number, 50000000000LL);
	assert_int_equal(RULE_LIMIT(limits, BACKUP_RECENT, 0).number,
	                 3 * 86400); /* merged from the drop-in */

	limits = config_limits_for(&f->config, "00008030-001a2b3c4d5e6f70");
	assert_string_equal(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "17.2");
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number,
	                 200000000000LL); /* reset: fleet-wide */
	assert_int_equal(RULE_LIMIT(limits, BACKUP_RECENT, 0).number, 36 * 3600);

	limits = config_limits_for(&f->config, "ffffffffffffffffffffffffffffffffffffffff");
	assert_string_equal(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "16");
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number, 200000000000LL);
	limits = config_limits_for(&f->config, NULL);
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number, 200000000000LL);
}

static void test_many_devices(void **state)
{
	struct fixture *f = *state;
	static char text[200 * 80];
	size_t used = 0;
	struct rule_limits limits;

	for (int i = 0; i < 200; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		                         "[Device %08x-%016x]\nICloudQuota=%dG\n", i, i, i + 1);
	load_ok(f, text);
	assert_int_equal(f->config.n_devices, 200);
	limits = config_limits_for(&f->config, "000000c7-00000000000000c7");
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number, 200000000000LL);
}

static void test_too_many_devices(void **state)
{
	struct fixture *f = *state;
	size_t size = 4097 * 40 + 1, used = 0;
	char *text = malloc(size);

	assert_non_null(text);
	for (int i = 0; i < 4097; i++)
		used += (size_t)snprintf(text + used, size - used, "[Device %08x-%016x]\n", i, i);
	expect_error(f, text, ":4097: too many [Device] sections (at most 4096)");
	text[used - 35] = '\0'; /* drop the last section: 4096 are fine */
	load_ok(f, text);
	assert_int_equal(f->config.n_devices, 4096);
	free(text);
}

static void test_udid_errors(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	    "xyz",
	    "0123456789abcdef0123456789abcdef0123456",   /* 39 hex */
	    "0123456789abcdef0123456789abcdef012345678", /* 41 hex */
	    "0123456789abcdef0123456789abcdef0123456g",
	    "00008030-001A2B3C4D5E6F7",
	    "00008030_001A2B3C4D5E6F70",
	    "0000803-0001A2B3C4D5E6F70",
	    "00008030-001A2B3C4D5E6F7G",
	    UDID_MODERN " extra",
	};
	char text[128], suffix[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[Device %s]\n", bad[i]);
		snprintf(suffix, sizeof(suffix),
		         ":1: [Device %s]: expected a UDID of 40 hex digits, or 8 hex digits, '-' "
		         "and 16 hex digits",
		         bad[i]);
		expect_error(f, text, suffix);
	}
	expect_error(f, "[Device]\n",
	             ":1: [Device ]: expected a UDID of 40 hex digits, or 8 hex "
	             "digits, '-' and 16 hex digits");
	expect_error(
	    f, "[DeviceX]\n",
	    ":1: unknown section [DeviceX]: expected [Probe], [Rules], "
	    "[Alerts], [StatusFeed], [Daemon], [HTTP], [Actions], [Pairing], [IOS], [Device UDID], "
	    "[Hub PORTPATH] "
	    "or [Slot PORTPATH]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_device_overrides),
	    TEST(test_many_devices),
	    TEST(test_too_many_devices),
	    TEST(test_udid_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
