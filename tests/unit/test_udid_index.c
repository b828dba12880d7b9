/* SPDX-License-Identifier: ISC */
/* udid_index.c: random puts and removes checked against a plain array, through many growths
 * and backward shifts, and in a small table where chains wrap around its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "udid_index.h"

#define N_KEYS 5000
#define N_OPS  60000

static char keys[N_KEYS][64];
static bool present[N_KEYS];

static void test_random_against_reference(void **state)
{
	(void)state;
	struct udid_index *index = udid_index_new();
	size_t expected = 0;
	srand(7);
	for (int i = 0; i < N_KEYS; i++)
		snprintf(keys[i], sizeof(keys[i]), "00008120-%016X", (unsigned)i * 2654435761u);
	for (int op = 0; op < N_OPS; op++) {
		int k = rand() % N_KEYS;
		if (rand() % 3) {
			expected += !present[k];
			present[k] = true;
			udid_index_put(index, keys[k], keys[k]);
		} else {
			expected -= present[k];
			present[k] = false;
			udid_index_remove(index, keys[k]);
		}
		if (op % 997 == 0)
			for (int j = 0; j < N_KEYS; j++)
				assert_ptr_equal(udid_index_get(index, keys[j]),
				                 present[j] ? keys[j] : NULL);
	}
	assert_int_equal(udid_index_count(index), expected);
	for (int j = 0; j < N_KEYS; j++)
		assert_ptr_equal(udid_index_get(index, keys[j]), present[j] ? keys[j] : NULL);
	udid_index_free(index);
}

/* At most 31 keys never grow the first table (64 slots): at that load chains often run past
 * its last slot into its first, and removals must shift entries back across that end. The
 * keys come from the whole pool, so some have their home in the last slots whatever the
 * table's random seed. */
#define SMALL_MAX 31

static void expect_live(const struct udid_index *index, const int *live, int n, int op)
{
	for (int i = 0; i < n; i++)
		if (udid_index_get(index, keys[live[i]]) != keys[live[i]])
			fail_msg("op %d: key %d lost", op, live[i]);
}

static void test_small_table_wraps_around(void **state)
{
	(void)state;
	struct udid_index *index = udid_index_new();
	int live[SMALL_MAX], n = 0;
	srand(11);
	for (int i = 0; i < N_KEYS; i++)
		snprintf(keys[i], sizeof(keys[i]), "00008110-%016X", (unsigned)i * 40503u);
	for (int op = 0; op < 200000; op++) {
		if (n < SMALL_MAX && (n == 0 || rand() % 2)) {
			int k = rand() % N_KEYS;
			if (udid_index_get(index, keys[k]))
				continue;
			udid_index_put(index, keys[k], keys[k]);
			live[n++] = k;
		} else {
			int at = rand() % n, k = live[at];
			udid_index_remove(index, keys[k]);
			live[at] = live[--n];
			if (udid_index_get(index, keys[k]))
				fail_msg("op %d: key %d still found after its removal", op, k);
		}
		expect_live(index, live, n, op);
	}
	assert_int_equal(udid_index_count(index), (size_t)n);
	udid_index_free(index);
}

static void test_put_replaces_and_lookup_by_content(void **state)
{
	(void)state;
	struct udid_index *index = udid_index_new();
	int a = 1, b = 2;
	char copy[] = "UDID-1";
	udid_index_put(index, "UDID-1", &a);
	udid_index_put(index, "UDID-1", &b);
	assert_int_equal(udid_index_count(index), 1);
	assert_ptr_equal(udid_index_get(index, copy), &b);
	assert_null(udid_index_get(index, "UDID-2"));
	udid_index_remove(index, "UDID-2");
	udid_index_remove(index, copy);
	assert_null(udid_index_get(index, "UDID-1"));
	assert_int_equal(udid_index_count(index), 0);
	udid_index_free(index);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_against_reference),
	    cmocka_unit_test(test_small_table_wraps_around),
	    cmocka_unit_test(test_put_replaces_and_lookup_by_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
