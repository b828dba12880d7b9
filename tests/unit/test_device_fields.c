/* SPDX-License-Identifier: ISC */
/* device_fields.c writes each device twice over: as json_t (status --json objects) and as
 * text straight into the stream (objects, or rows of values). They must say the same thing for
 * every field and every mask, including strings a phone may send that are not clean UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "device_fields.h"

static const char *const awkward_names[] = {
    "Cart 7 \"slot\" 3",
    "tab\there\nnewline",
    "caf\xc3\xa9 \xe2\x98\x83",
    "bad \xff\xfe utf-8",
    "back\\slash/solidus",
    "\x01\x1f control",
    "",
};

static void fill_device(struct device_record *device, const char *name, int variant)
{
	memset(device, 0, sizeof(*device));
	snprintf(device->udid, sizeof(device->udid), "00008120-%016X", (unsigned)variant);
	facts_init(&device->facts, device->udid);
	snprintf(device->facts.name, sizeof(device->facts.name), "%s", name);
	snprintf(device->facts.product_type, sizeof(device->facts.product_type), "iPhone14,%d",
	         variant);
	snprintf(device->facts.product_version, sizeof(device->facts.product_version), "17.%d",
	         variant);
	snprintf(device->facts.wifi_ssid, sizeof(device->facts.wifi_ssid), "%s", name);
	snprintf(device->facts.error, sizeof(device->facts.error), "%s", name);
	device->facts.status = (enum probe_status)(variant % 3);
	device->facts.battery_percent = variant % 2 ? -1 : 57;
	device->facts.total_data_capacity = variant % 2 ? -1 : INT64_C(128000000000);
	device->facts.total_data_available = variant % 2 ? -1 : INT64_C(9123456789);
	device->facts.has_last_backup = variant % 2;
	device->facts.last_backup_unix = variant % 2 ? INT64_C(1764900000) : 0;
	device->attached = variant % 2 == 0;
	device->first_seen_unix = INT64_C(1700000000) + variant;
	device->last_seen_unix = INT64_C(1764000000) + variant;
	snprintf(device->slot.port_path, sizeof(device->slot.port_path), "%s",
	         variant % 2 ? "1-2.3" : "");
	for (int p = 0; p < PRECOND_COUNT; p++) {
		device->verdicts[p].state = (enum verdict_state)((p + variant) % 3);
		snprintf(device->verdicts[p].reason, sizeof(device->verdicts[p].reason), "%s",
		         name);
	}
}

/* A row ("rows" in a status request) holds the object's values in the order of the names,
 * null where the object leaves a field out. */
static void expect_row_same(const struct device_record *device, device_field_mask mask,
                            const json_t *object)
{
	struct port_names names = {0};
	struct text_buffer text = {0};
	device_fields_row_text(&text, device, &names, mask);
	json_error_t error;
	json_t *row = json_loads(text.data, 0, &error);
	if (!json_is_array(row))
		fail_msg("row writer gave no JSON array (%s): %s", error.text, text.data);
	json_t *columns = device_fields_names(mask);
	assert_int_equal(json_array_size(row), json_array_size(columns));
	size_t i;
	const json_t *column;
	json_array_foreach(columns, i, column)
	{
		const json_t *want = json_object_get(object, json_string_value(column));
		if (!json_equal(want ? want : json_null(), json_array_get(row, i)))
			fail_msg("row differs from the object at %s for mask %#x: %s",
			         json_string_value(column), mask, text.data);
	}
	json_decref(columns);
	json_decref(row);
	text_buffer_free(&text);
}

static void expect_same(const struct device_record *device, device_field_mask mask)
{
	struct port_names names = {0};
	json_t *object = device_fields_json(device, &names, mask);
	struct text_buffer text = {0};
	device_fields_text(&text, device, &names, mask);
	json_error_t error;
	json_t *parsed = json_loads(text.data, 0, &error);
	if (!parsed)
		fail_msg("text writer gave invalid JSON (%s): %s", error.text, text.data);
	if (!json_equal(object, parsed)) {
		char *want = json_dumps(object, JSON_SORT_KEYS);
		char *got = json_dumps(parsed, JSON_SORT_KEYS);
		fail_msg("writers differ for mask %#x\njson_t: %s\ntext:   %s", mask, want, got);
	}
	/* the same keys in the same order: a client may read them in order */
	const char *key;
	json_t *value;
	void *iter = json_object_iter(parsed);
	json_object_foreach(object, key, value)
	{
		assert_non_null(iter);
		assert_string_equal(json_object_iter_key(iter), key);
		iter = json_object_iter_next(parsed, iter);
	}
	expect_row_same(device, mask, object);
	json_decref(parsed);
	json_decref(object);
	text_buffer_free(&text);
}

static void test_all_fields_agree(void **state)
{
	(void)state;
	struct device_record device;
	for (size_t i = 0; i < sizeof(awkward_names) / sizeof(awkward_names[0]); i++)
		for (int variant = 0; variant < 4; variant++) {
			fill_device(&device, awkward_names[i], variant);
			expect_same(&device, DEVICE_FIELDS_ALL);
		}
}

static void test_each_single_field_agrees(void **state)
{
	(void)state;
	struct device_record device;
	fill_device(&device, awkward_names[3], 1);
	for (int bit = 0; bit < 32; bit++)
		expect_same(&device, (device_field_mask)1 << bit);
	expect_same(&device, 0x5555u);
}

static void test_request_fields(void **state)
{
	(void)state;
	device_field_mask mask = 0;
	const char *why = NULL;
	assert_true(device_fields_from_request(NULL, &mask, &why));
	assert_int_equal(mask, DEVICE_FIELDS_ALL);
	json_t *names = json_pack("[ss]", "udid", "no-such-field");
	assert_true(device_fields_from_request(names, &mask, &why));
	assert_int_not_equal(mask, 0);
	assert_int_not_equal(mask, DEVICE_FIELDS_ALL);
	json_decref(names);
	json_t *wrong = json_pack("[i]", 3);
	assert_false(device_fields_from_request(wrong, &mask, &why));
	assert_non_null(why);
	json_decref(wrong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_fields_agree),
	    cmocka_unit_test(test_each_single_field_agrees),
	    cmocka_unit_test(test_request_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
