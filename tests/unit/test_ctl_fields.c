/* SPDX-License-Identifier: ISC */
/* ctl_fields.c: a device's field read by name from either reply form, also when the caller
 * asks through one buffer that holds a different key each time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"

static void test_rows_by_name_through_one_buffer(void **state)
{
	(void)state;
	json_t *reply = json_pack("{s:[s,s,s]}", "columns", "udid", "name", "state");
	json_t *row = json_pack("[s,s,s]", "U1", "Cart 1", "ready");
	char key[16];

	ctl_columns_use(reply);
	assert_string_equal(json_string_value(ctl_get(row, "name")), "Cart 1");
	strcpy(key, "udid");
	assert_string_equal(json_string_value(ctl_get(row, key)), "U1");
	strcpy(key, "state"); /* same address, another key */
	assert_string_equal(json_string_value(ctl_get(row, key)), "ready");
	strcpy(key, "nope");
	assert_null(ctl_get(row, key));
	json_decref(row);
	json_decref(reply);
}

static void test_objects_by_name(void **state)
{
	(void)state;
	json_t *device = json_pack("{s:s}", "name", "Cart 2");
	assert_string_equal(json_string_value(ctl_get(device, "name")), "Cart 2");
	json_decref(device);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_by_name_through_one_buffer),
	    cmocka_unit_test(test_objects_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
