/* SPDX-License-Identifier: ISC */
/* AlertRepeat with a fixed clock: alert.c's repeat pass (alert_device_repeats) asks
 * hook_repeat whether a still-failing precondition is told again; once never repeats, daily
 * every 24 h, diminishing after 1, 2, 4, ... days. The repeat memory lives in the alert memory,
 * a recovery and a new failure start it afresh, and repeats reach the consumer, not the
 * journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert.h"
#include "hook_repeat.h"

#define T0  1700000000
#define DAY 86400

static enum hook_repeat_policy policy;
static int n_repeats, n_transitions, last_repeat_count;
static int64_t last_since;

static void consume(void *ctx, const struct alert_event *event)
{
	(void)ctx;
	if (event->kind == ALERT_EVENT_REPEAT) {
		n_repeats++;
		last_repeat_count = event->repeats;
		last_since = event->since_unix;
	} else {
		n_transitions++;
	}
}

static bool due(void *ctx, const struct alert_memory *memory, int64_t now)
{
	(void)ctx;
	return hook_repeat_due(policy, memory, now);
}

static struct device_record rec;
static struct alert_consumer consumer = {.event = consume, .repeat_due = due};
/* The journal, and the consumer: as the daemon's fleet tells the alert command. */
static const struct alert_sink sink = {NULL, NULL, &consumer};

static void judge(enum verdict_state backup_recent, int64_t now)
{
	struct verdict verdicts[PRECOND_COUNT] = {0};

	for (int i = 0; i < PRECOND_COUNT; i++)
		verdicts[i].state = VERDICT_OK;
	verdicts[PRECOND_BACKUP_RECENT].state = backup_recent;
	strcpy(verdicts[PRECOND_BACKUP_RECENT].reason, "never backed up");
	alert_device_verdicts(&rec, verdicts, now, 0, &sink);
	memcpy(rec.verdicts, verdicts, sizeof(verdicts));
}

/* The repeats told when the consumer is asked at each time of at[] (seconds after T0). */
static int repeats_at(const int64_t *at, size_t n)
{
	int before = n_repeats;

	for (size_t i = 0; i < n; i++)
		alert_device_repeats(&rec, T0 + at[i], &sink);
	return n_repeats - before;
}

static int setup(void **state)
{
	(void)state;
	setenv("BACKUPD_LOG_TARGET", "stderr", 1);
	memset(&rec, 0, sizeof(rec));
	strcpy(rec.udid, "UDID-R");
	facts_init(&rec.facts, rec.udid);
	rec.facts.status = PROBE_OK;
	strcpy(rec.facts.name, "Cart 4");
	n_repeats = n_transitions = 0;
	judge(VERDICT_FAILING, T0); /* announced at T0 */
	assert_int_equal(n_transitions, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return 0;
}

/* Every hour for 40 days. */
static int hourly_for_40_days(void)
{
	int64_t at[40 * 24];

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		at[i] = (int64_t)(i + 1) * 3600;
	return repeats_at(at, sizeof(at) / sizeof(at[0]));
}

static void test_once_never_repeats(void **state)
{
	(void)state;
	policy = HOOK_REPEAT_ONCE;
	assert_int_equal(hourly_for_40_days(), 0);
	assert_int_equal(rec.alerts[PRECOND_BACKUP_RECENT].repeats, 0);
}

static void test_daily(void **state)
{
	const int64_t early[] = {DAY - 1};

	(void)state;
	policy = HOOK_REPEAT_DAILY;
	assert_int_equal(repeats_at(early, 1), 0);
	assert_int_equal(hourly_for_40_days(), 40);
	assert_int_equal(last_repeat_count, 40);
	assert_int_equal(last_since, T0); /* the first announcement, not the last repeat */
	assert_int_equal(rec.alerts[PRECOND_BACKUP_RECENT].repeated_at_unix, T0 + 40 * DAY);
	assert_int_equal(n_transitions, 1); /* repeats are not transitions */
}

static void test_diminishing(void **state)
{
	const int64_t first[] = {DAY - 1, DAY}, second[] = {3 * DAY - 1, 3 * DAY},
	              third[] = {7 * DAY - 1, 7 * DAY}, fourth[] = {15 * DAY};

	(void)state;
	policy = HOOK_REPEAT_DIMINISHING;
	assert_int_equal(repeats_at(first, 2), 1);  /* after 1 day */
	assert_int_equal(repeats_at(second, 2), 1); /* 2 days later */
	assert_int_equal(repeats_at(third, 2), 1);  /* 4 days later */
	assert_int_equal(repeats_at(fourth, 1), 1); /* 8 days later */
	assert_int_equal(rec.alerts[PRECOND_BACKUP_RECENT].repeats, 4);
	/* from T0 + 15 d, the next is 16 days later */
	assert_int_equal(hook_repeat_next(policy, &rec.alerts[PRECOND_BACKUP_RECENT]),
	                 T0 + 31 * DAY);
}

static void test_recovery_starts_afresh(void **state)
{
	const int64_t two_days[] = {DAY, 2 * DAY};

	(void)state;
	policy = HOOK_REPEAT_DAILY;
	assert_int_equal(repeats_at(two_days, 2), 2);
	judge(VERDICT_OK, T0 + 2 * DAY + 10);
	assert_int_equal(repeats_at(two_days, 2), 0); /* ok now: nothing to repeat */
	judge(VERDICT_FAILING, T0 + 3 * DAY);
	assert_int_equal(rec.alerts[PRECOND_BACKUP_RECENT].repeats, 0);
	const int64_t next[] = {4 * DAY - 1, 4 * DAY};
	assert_int_equal(repeats_at(next, 2), 1); /* a day after the new failure */
	assert_int_equal(n_transitions, 3);
}

static void test_unknown_is_not_repeated(void **state)
{
	const int64_t later[] = {2 * DAY};

	(void)state;
	policy = HOOK_REPEAT_DAILY;
	judge(VERDICT_UNKNOWN, T0 + 60); /* still announced failing, but not seen failing now */
	assert_int_equal(repeats_at(later, 1), 0);
}

/* Times near INT64_MAX (an old or edited state file) give "past what int64_t holds", not a
 * signed overflow (UBSan aborted the daemon at start). */
static void test_no_overflow(void **state)
{
	(void)state;
	struct alert_memory m = {.announced = VERDICT_FAILING,
	                         .announced_at_unix = T0,
	                         .repeats = 3,
	                         .repeated_at_unix = INT64_MAX - 10};
	assert_true(hook_repeat_next(HOOK_REPEAT_DAILY, &m) == INT64_MAX);
	assert_true(hook_repeat_next(HOOK_REPEAT_DIMINISHING, &m) == INT64_MAX);
	assert_false(hook_repeat_due(HOOK_REPEAT_DIMINISHING, &m, T0 + 1000 * DAY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_once_never_repeats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_daily, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_diminishing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recovery_starts_afresh, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_is_not_repeated, setup, teardown),
	    cmocka_unit_test(test_no_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
