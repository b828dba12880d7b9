/* SPDX-License-Identifier: ISC */
/* The precondition table itself: each entry sits at its own id, and whatever is derived from
 * it (MESSAGE_IDs, blocker words, config keys, metrics) is unique and well-formed, so a new
 * entry cannot collide with another. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "message_ids.h"
#include "precondition.h"

static void test_entries_at_their_id(void **state)
{
	(void)state;
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)i);
		assert_non_null(entry);
		assert_int_equal(entry->id, i);
		assert_int_equal(precondition_by_name(entry->name), i);
		assert_non_null(entry->judge);
		assert_true(entry->blocker[0] && entry->fix[0] && entry->title[0] &&
		            entry->reads[0]);
		assert_true(entry->catalog.subject[0] && entry->catalog.explain[0]);
	}
	assert_null(precondition_info(PRECOND_COUNT));
	assert_int_equal(precondition_by_name("nonsense"), -1);
}

static bool hex32(const char *id)
{
	return strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32;
}

/* MESSAGE_IDs are unique among the entries and the journal's own table. */
static void test_message_ids_unique(void **state)
{
	(void)state;
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const char *id = precondition_info((enum precondition_id)i)->message_id;
		assert_true(hex32(id));
		for (int j = i + 1; j < PRECOND_COUNT; j++)
			assert_string_not_equal(
			    id, precondition_info((enum precondition_id)j)->message_id);
		for (int k = 0; k < MSG_COUNT; k++)
			assert_string_not_equal(id, message_id((enum message_key)k));
	}
}

static void test_words_and_keys_unique(void **state)
{
	(void)state;
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *a = precondition_info((enum precondition_id)i);
		for (int j = i + 1; j < PRECOND_COUNT; j++) {
			const struct precondition_info *b =
			    precondition_info((enum precondition_id)j);
			assert_string_not_equal(a->blocker, b->blocker);
			for (int k = 0; k < PRECOND_KEYS_MAX && a->keys[k].kind; k++)
				for (int l = 0; l < PRECOND_KEYS_MAX && b->keys[l].kind; l++)
					assert_string_not_equal(a->keys[k].name, b->keys[l].name);
		}
		for (int k = 0; k < PRECOND_KEYS_MAX && a->keys[k].kind; k++)
			if (a->keys[k].metric)
				assert_non_null(a->keys[k].metric_help);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entries_at_their_id),
	    cmocka_unit_test(test_message_ids_unique),
	    cmocka_unit_test(test_words_and_keys_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
