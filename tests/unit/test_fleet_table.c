/* SPDX-License-Identifier: ISC */
/* fleet_table.c's record view (issue 21 item 7): one array the table keeps, so a caller that
 * holds fleet_records' answer across another call (a status stream walking the records while
 * a summary is made) reads the same, live array, through growth and forgetting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fleet_table.h"

static void add_devices(struct fleet_table *table, int from, int to)
{
	for (int i = from; i < to; i++) {
		char udid[64];
		snprintf(udid, sizeof(udid), "00008120-%016X", (unsigned)i);
		fleet_table_add(table, udid);
	}
}

static void assert_view_matches(struct fleet_table *table, struct device_record **view, size_t n)
{
	assert_int_equal(n, table->n);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(view[i], &table->devices[i]->rec);
}

static void test_view_survives_a_second_call(void **state)
{
	(void)state;
	struct fleet_table table;
	size_t n1, n2;
	fleet_table_init(&table);
	struct device_record **empty = fleet_table_records(&table, &n1);
	assert_non_null(empty);
	assert_int_equal(n1, 0);
	add_devices(&table, 0, 3);
	struct device_record **first = fleet_table_records(&table, &n1);
	struct device_record **second = fleet_table_records(&table, &n2);
	assert_ptr_equal(first, second);
	assert_view_matches(&table, first, n1); /* read after the second call */
	fleet_table_free(&table);
}

static bool keep_even(struct fleet_device *dev, size_t i, void *arg)
{
	(void)dev, (void)arg;
	return i % 2 == 0;
}

static void test_view_follows_growth_and_forgetting(void **state)
{
	(void)state;
	struct fleet_table table;
	size_t n;
	fleet_table_init(&table);
	add_devices(&table, 0, 200); /* past the first capacity, twice */
	struct device_record **view = fleet_table_records(&table, &n);
	assert_view_matches(&table, view, n);
	assert_int_equal(fleet_table_keep(&table, keep_even, NULL), 100);
	view = fleet_table_records(&table, &n);
	assert_view_matches(&table, view, n);
	assert_int_equal(n, 100);
	assert_ptr_equal(fleet_table_find(&table, view[1]->udid), table.devices[1]);
	add_devices(&table, 1000, 1001);
	view = fleet_table_records(&table, &n);
	assert_view_matches(&table, view, n);
	fleet_table_free(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_view_survives_a_second_call),
	    cmocka_unit_test(test_view_follows_growth_and_forgetting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
