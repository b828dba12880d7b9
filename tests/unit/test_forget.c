/* SPDX-License-Identifier: ISC */
/* forget.c with a fixed clock: ForgetAfter expiry, the MaxRemembered bound (longest detached
 * first, ties by UDID), attached phones never forgotten, a clock stepped back forgets
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "forget.h"

#define NOW 1800000000LL
#define DAY 86400LL
#define N   6

static struct device_record records[N];
static const struct device_record *recs[N];
static enum forget_reason why[N];

static int setup(void **state)
{
	(void)state;
	memset(records, 0, sizeof(records));
	for (int i = 0; i < N; i++) {
		snprintf(records[i].udid, sizeof(records[i].udid), "UDID-%d", i);
		records[i].last_seen_unix = NOW - (i + 1) * DAY; /* 0: 1 day ago ... 5: 6 days */
		recs[i] = &records[i];
	}
	return 0;
}

static void test_expired_after_forget_after(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = 4 * DAY, .max_remembered = 100};
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 3);
	for (int i = 0; i < N; i++)
		assert_int_equal(why[i], i >= 3 ? FORGET_EXPIRED : FORGET_KEEP);
	/* exactly ForgetAfter is expired; a second less is not */
	records[2].last_seen_unix = NOW - 4 * DAY + 1;
	records[3].last_seen_unix = NOW - 4 * DAY;
	forget_select(recs, N, NOW, &policy, why);
	assert_int_equal(why[2], FORGET_KEEP);
	assert_int_equal(why[3], FORGET_EXPIRED);
}

static void test_attached_never_forgotten(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = DAY, .max_remembered = 1};
	for (int i = 0; i < N; i++)
		records[i].attached = true;
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 0);
	records[5].attached = false;
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 1);
	assert_int_equal(why[5], FORGET_EXPIRED);
}

static void test_max_remembered_oldest_detached_first(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = 365 * DAY, .max_remembered = 3};
	records[5].attached = true; /* the oldest "last seen" but attached: kept */
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 3);
	assert_int_equal(why[5], FORGET_KEEP);
	assert_int_equal(why[4], FORGET_TOO_MANY);
	assert_int_equal(why[3], FORGET_TOO_MANY);
	assert_int_equal(why[2], FORGET_TOO_MANY);
	assert_int_equal(why[1], FORGET_KEEP);
	assert_int_equal(why[0], FORGET_KEEP);
}

static void test_expired_count_toward_the_bound(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = 5 * DAY, .max_remembered = 3};
	/* 4 and 5 expire; of the 4 left, the oldest (3) goes for the bound */
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 3);
	assert_int_equal(why[5], FORGET_EXPIRED);
	assert_int_equal(why[4], FORGET_EXPIRED);
	assert_int_equal(why[3], FORGET_TOO_MANY);
	assert_int_equal(why[2], FORGET_KEEP);
}

/* Phones detached at the same second: the UDID decides, so the same phones go whatever the
 * order the records come in. */
static void test_ties_broken_by_udid(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = 365 * DAY, .max_remembered = 4};
	records[3].last_seen_unix = records[4].last_seen_unix = records[5].last_seen_unix;
	/* not in UDID order, so that keeping the records' order would choose others */
	snprintf(records[3].udid, sizeof(records[3].udid), "UDID-c");
	snprintf(records[4].udid, sizeof(records[4].udid), "UDID-a");
	snprintf(records[5].udid, sizeof(records[5].udid), "UDID-b");
	assert_int_equal(forget_select(recs, N, NOW, &policy, why), 2);
	assert_int_equal(why[4], FORGET_TOO_MANY); /* UDID-a */
	assert_int_equal(why[5], FORGET_TOO_MANY); /* UDID-b */
	assert_int_equal(why[3], FORGET_KEEP);     /* UDID-c */
}

static void test_clock_stepped_back(void **state)
{
	(void)state;
	struct forget_policy policy = {.after_s = DAY, .max_remembered = 100};
	assert_int_equal(forget_select(recs, N, NOW - 30 * DAY, &policy, why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_expired_after_forget_after, setup),
	    cmocka_unit_test_setup(test_attached_never_forgotten, setup),
	    cmocka_unit_test_setup(test_max_remembered_oldest_detached_first, setup),
	    cmocka_unit_test_setup(test_expired_count_toward_the_bound, setup),
	    cmocka_unit_test_setup(test_ties_broken_by_udid, setup),
	    cmocka_unit_test_setup(test_clock_stepped_back, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
