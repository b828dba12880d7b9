/* SPDX-License-Identifier: ISC */
/* hotplug_udid: only serials shaped like a UDID enter backupd from usbmuxd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hotplug_udid.h"

static void test_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *udid;
		bool valid;
	} cases[] = {
	    {"00008120-001A2B3C4D5E6F01", true},                /* iPhone XS and later */
	    {"0123456789abcdef0123456789abcdef01234567", true}, /* 40 hex: older models */
	    {"a", true},
	    {"", false},
	    {"0123456789abcdef0123456789abcdef012345678", false}, /* 41 */
	    {"X\nCart 3 spoof yes\x1b[2J", false},
	    {"0000 8120", false},
	    {"00008120/..", false},
	    {"caf\xc3\xa9", false},
	    {"del\x7f", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char field[44] = {0}; /* usbmuxd_device_info_t.udid */
		strncpy(field, cases[i].udid, sizeof(field) - 1);
		assert_int_equal(hotplug_udid_valid(field, sizeof(field)), cases[i].valid);
	}
}

static void test_unterminated(void **state)
{
	(void)state;
	char field[8];
	memset(field, 'a', sizeof(field));
	assert_false(hotplug_udid_valid(field, sizeof(field)));
	field[7] = '\0';
	assert_true(hotplug_udid_valid(field, sizeof(field)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_unterminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
