/* SPDX-License-Identifier: ISC */
/* fleet_ios's walk: after a catalog change every phone is handed out once, in slices across
 * loop turns, and a change under way starts the walk over. A slice of 0 us hands out one
 * phone per slice, so the slicing shows without a clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>

#include "fleet_ios.h"

#define PHONES 7

struct walk {
	struct fleet_ios *ios;
	struct fleet_table table;
	int seen[PHONES];
	int slices;
	int restart_at; /* > 0: a new catalog in that slice */
	int forget_at;  /* > 0: phones 0 and 1 forgotten in that slice */
};

static bool keep_from_2(struct fleet_device *dev, size_t i, void *arg)
{
	(void)i, (void)arg;
	return atoi(dev->rec.udid) >= 2;
}

static void slice(void *arg)
{
	struct walk *w = arg;
	struct fleet_device *dev;
	w->slices++;
	while ((dev = fleet_ios_next(w->ios, &w->table))) {
		w->seen[atoi(dev->rec.udid)]++;
		if (w->slices == w->forget_at) {
			w->forget_at = 0;
			fleet_table_keep(&w->table, keep_from_2, NULL);
			fleet_ios_table_shrank(w->ios);
			continue;
		}
		if (w->slices == w->restart_at) {
			w->restart_at = 0;
			memset(w->seen, 0, sizeof(w->seen));
			fleet_ios_set_catalog(w->ios, NULL); /* runs a slice of its own */
			return;
		}
	}
}

static void setup_walk(struct walk *w, struct event_base *base, int64_t slice_us)
{
	memset(w, 0, sizeof(*w));
	fleet_table_init(&w->table);
	for (int i = 0; i < PHONES; i++) {
		char udid[16];
		snprintf(udid, sizeof(udid), "%d", i);
		fleet_table_add(&w->table, udid);
	}
	w->ios = fleet_ios_new(base, slice_us, slice, w);
}

static void run_walk(struct walk *w, struct event_base *base)
{
	fleet_ios_set_catalog(w->ios, NULL);
	for (int turns = 0; fleet_ios_walking(w->ios) && turns < 100; turns++)
		event_base_loop(base, EVLOOP_ONCE);
	assert_false(fleet_ios_walking(w->ios));
	for (int i = 0; i < PHONES; i++)
		if (w->seen[i] != 1)
			fail_msg("phone %d handed out %d times", i, w->seen[i]);
}

static void test_one_phone_per_slice(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct walk w;
	setup_walk(&w, base, 0);
	run_walk(&w, base);
	/* one phone per slice; the last one finds the walk done */
	assert_int_equal(w.slices, PHONES);
	fleet_ios_free(w.ios);
	fleet_table_free(&w.table);
	event_base_free(base);
}

static void test_one_slice_when_time_allows(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct walk w;
	setup_walk(&w, base, 10 * 1000 * 1000);
	run_walk(&w, base);
	assert_int_equal(w.slices, 1);
	fleet_ios_free(w.ios);
	fleet_table_free(&w.table);
	event_base_free(base);
}

static void test_change_under_way_starts_over(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct walk w;
	setup_walk(&w, base, 0);
	w.restart_at = 3;
	run_walk(&w, base); /* every phone once after the restart */
	assert_int_equal(w.restart_at, 0);
	fleet_ios_free(w.ios);
	fleet_table_free(&w.table);
	event_base_free(base);
}

/* Phones forgotten behind the walk close the table up: no phone after them is skipped. */
static void test_forget_under_way_skips_none(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct walk w;
	setup_walk(&w, base, 0);
	w.forget_at = 4; /* phones 0-3 handed out, then 0 and 1 go */
	fleet_ios_set_catalog(w.ios, NULL);
	for (int turns = 0; fleet_ios_walking(w.ios) && turns < 100; turns++)
		event_base_loop(base, EVLOOP_ONCE);
	assert_false(fleet_ios_walking(w.ios));
	for (int i = 2; i < PHONES; i++)
		if (w.seen[i] < 1)
			fail_msg("phone %d skipped", i);
	fleet_ios_free(w.ios);
	fleet_table_free(&w.table);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_phone_per_slice),
	    cmocka_unit_test(test_one_slice_when_time_allows),
	    cmocka_unit_test(test_change_under_way_starts_over),
	    cmocka_unit_test(test_forget_under_way_skips_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
