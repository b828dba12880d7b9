/* SPDX-License-Identifier: ISC */
/* alert.c: every transition rule, the hold-off, unknown handling, reachable sub-states,
 * priorities and the fleet-wide entries, captured through an injected sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alert.h"
#include "message_ids.h"
#include "precondition.h"

#define CAPTURED_MAX 16
#define HOLDOFF      3600

struct captured {
	char message_id[33];
	int priority;
	char precondition[32];
	char state[16];
	char udid[UDID_MAX];
	char message[512];
	char extra[JOURNAL_EXTRA_MAX][128];
};

static struct captured captured[CAPTURED_MAX];
static int n_captured;

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void capture(void *ctx, const struct journal_entry *e)
{
	struct captured *c = &captured[n_captured++];

	(void)ctx;
	assert_true(n_captured <= CAPTURED_MAX);
	copy(c->message_id, sizeof(c->message_id), e->message_id);
	c->priority = e->priority;
	copy(c->precondition, sizeof(c->precondition), e->precondition);
	copy(c->state, sizeof(c->state), e->state);
	copy(c->udid, sizeof(c->udid), e->device_udid);
	copy(c->message, sizeof(c->message), e->message);
	for (int i = 0; i < JOURNAL_EXTRA_MAX; i++)
		copy(c->extra[i], sizeof(c->extra[i]), e->extra[i]);
}

static const struct alert_sink sink = {capture, NULL, NULL};

static struct device_record rec;
static struct verdict verdicts[PRECOND_COUNT];

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	strcpy(rec.udid, "00008030-000A1B2C3D4E5F60");
	facts_init(&rec.facts, rec.udid);
	rec.facts.status = PROBE_OK;
	strcpy(rec.facts.name, "Cart 1 Slot 3");
	strcpy(rec.facts.product_type, "iPhone14,5");
	strcpy(rec.facts.product_version, "17.5.1");
	for (int i = 0; i < PRECOND_COUNT; i++)
		verdicts[i] = (struct verdict){VERDICT_OK, "fine"};
	n_captured = 0;
	memset(captured, 0, sizeof(captured));
	return 0;
}

static void set(enum precondition_id id, enum verdict_state st, const char *reason)
{
	verdicts[id].state = st;
	snprintf(verdicts[id].reason, sizeof(verdicts[id].reason), "%s", reason);
}

static int run(int64_t now)
{
	return alert_device_verdicts(&rec, verdicts, now, HOLDOFF, &sink);
}

static void assert_entry(int i, enum precondition_id id, int priority, const char *state)
{
	assert_true(i < n_captured);
	assert_string_equal(captured[i].message_id, message_id_for_precondition(id));
	assert_int_equal(captured[i].priority, priority);
	assert_string_equal(captured[i].precondition, precondition_info(id)->name);
	assert_string_equal(captured[i].state, state);
	assert_string_equal(captured[i].udid, rec.udid);
}

static void test_first_ok_is_silent(void **state)
{
	(void)state;
	assert_int_equal(run(1000), 0);
	assert_int_equal(n_captured, 0);
	assert_int_equal(rec.alerts[PRECOND_WIFI].announced, VERDICT_OK);
	assert_int_equal(rec.alerts[PRECOND_WIFI].announced_at_unix, 0);
}

static void test_failure_then_recovery(void **state)
{
	(void)state;
	run(1000);
	set(PRECOND_BACKUP_ENABLED, VERDICT_FAILING, "iCloud Backup is off");
	assert_int_equal(run(1100), 1);
	assert_entry(0, PRECOND_BACKUP_ENABLED, LOG_WARNING, "failing");
	assert_non_null(strstr(captured[0].message, "iCloud Backup is off"));
	assert_int_equal(run(1200), 0); /* still failing: nothing new */
	set(PRECOND_BACKUP_ENABLED, VERDICT_OK, "iCloud Backup is on");
	assert_int_equal(run(1100 + HOLDOFF), 1);
	assert_entry(1, PRECOND_BACKUP_ENABLED, LOG_NOTICE, "ok");
	assert_int_equal(run(1200 + HOLDOFF), 0);
}

static void test_backup_recent_is_error(void **state)
{
	(void)state;
	set(PRECOND_BACKUP_RECENT, VERDICT_FAILING, "never backed up");
	assert_int_equal(run(1000), 1);
	assert_entry(0, PRECOND_BACKUP_RECENT, LOG_ERR, "failing");
}

static void test_failing_at_first_sight_announced(void **state)
{
	(void)state;
	set(PRECOND_LOCKED, VERDICT_FAILING, "screen unlocked");
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(run(1000), 2);
	assert_entry(0, PRECOND_LOCKED, LOG_WARNING, "failing");
	assert_entry(1, PRECOND_POWER, LOG_WARNING, "failing");
}

static void test_unknown_never_announces_nor_clears(void **state)
{
	(void)state;
	set(PRECOND_WIFI, VERDICT_UNKNOWN, "not reported");
	assert_int_equal(run(1000), 0);
	assert_int_equal(rec.alerts[PRECOND_WIFI].announced, VERDICT_UNKNOWN);
	set(PRECOND_WIFI, VERDICT_FAILING, "not associated");
	assert_int_equal(run(2000), 1);
	set(PRECOND_WIFI, VERDICT_UNKNOWN, "not reported");
	assert_int_equal(run(2000 + 2 * HOLDOFF), 0);
	assert_int_equal(rec.alerts[PRECOND_WIFI].announced, VERDICT_FAILING);
	set(PRECOND_WIFI, VERDICT_FAILING, "not associated");
	assert_int_equal(run(2000 + 3 * HOLDOFF), 0); /* failing -> unknown -> failing: one */
	set(PRECOND_WIFI, VERDICT_OK, "associated");
	assert_int_equal(run(2000 + 4 * HOLDOFF), 1);
	assert_entry(1, PRECOND_WIFI, LOG_NOTICE, "ok");
}

static void test_holdoff_suppresses_flap(void **state)
{
	(void)state;
	run(1000);
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(run(2000), 1);
	set(PRECOND_POWER, VERDICT_OK, "charging");
	assert_int_equal(run(2060), 0); /* held back */
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(run(2120), 0); /* same as announced */
	set(PRECOND_POWER, VERDICT_OK, "charging");
	assert_int_equal(run(2000 + HOLDOFF - 1), 0);
	assert_int_equal(n_captured, 1);
	assert_int_equal(rec.alerts[PRECOND_POWER].announced, VERDICT_FAILING);
	/* still different at the first evaluation after the hold-off: announced then */
	assert_int_equal(run(2000 + HOLDOFF), 1);
	assert_entry(1, PRECOND_POWER, LOG_NOTICE, "ok");
	assert_int_equal(rec.alerts[PRECOND_POWER].announced_at_unix, 2000 + HOLDOFF);
}

static void test_holdoff_flap_back_writes_nothing(void **state)
{
	(void)state;
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	run(2000);
	set(PRECOND_POWER, VERDICT_OK, "charging");
	run(2100);
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(run(2000 + HOLDOFF + 5), 0);
	assert_int_equal(n_captured, 1);
}

static void test_holdoff_zero_disables(void **state)
{
	(void)state;
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(alert_device_verdicts(&rec, verdicts, 10, 0, &sink), 1);
	set(PRECOND_POWER, VERDICT_OK, "charging");
	assert_int_equal(alert_device_verdicts(&rec, verdicts, 11, 0, &sink), 1);
	set(PRECOND_POWER, VERDICT_FAILING, "on battery");
	assert_int_equal(alert_device_verdicts(&rec, verdicts, 12, 0, &sink), 1);
}

static void reachable_fails_with(enum probe_status status)
{
	rec.facts.status = status;
	for (int i = 0; i < PRECOND_COUNT; i++)
		set((enum precondition_id)i, VERDICT_UNKNOWN, "device not read");
	set(PRECOND_REACHABLE, VERDICT_FAILING, probe_status_name(status));
}

static void test_reachable_sub_states(void **state)
{
	char field[64];

	(void)state;
	run(1000);
	reachable_fails_with(PROBE_NOT_PAIRED);
	assert_int_equal(run(2000), 1);
	assert_string_equal(captured[0].message_id, message_id(MSG_UNREACHABLE_NOT_PAIRED));
	assert_int_equal(captured[0].priority, LOG_WARNING);
	assert_string_equal(captured[0].extra[0], "PROBE_STATUS=not_paired");
	reachable_fails_with(PROBE_TRUST_PENDING);
	assert_int_equal(run(2000 + HOLDOFF), 1); /* a new failure, its own ID */
	assert_string_equal(captured[1].message_id, message_id(MSG_UNREACHABLE_TRUST_PENDING));
	assert_int_equal(rec.alerts[PRECOND_REACHABLE].announced_probe_status, PROBE_TRUST_PENDING);
	assert_int_equal(run(2000 + 2 * HOLDOFF), 0);
	/* every failing status maps to a distinct ID */
	for (int s = PROBE_NOT_PAIRED; s < PROBE_STATUS_COUNT; s++) {
		reachable_fails_with((enum probe_status)s);
		run(2000 + (s + 3) * HOLDOFF);
		assert_string_equal(captured[n_captured - 1].message_id,
		                    message_id_for_unreachable((enum probe_status)s));
		snprintf(field, sizeof(field), "PROBE_STATUS=%s", probe_status_name(s));
		assert_string_equal(captured[n_captured - 1].extra[0], field);
	}
	rec.facts.status = PROBE_OK;
	set(PRECOND_REACHABLE, VERDICT_OK, "read");
	assert_int_equal(run(2000 + 20 * HOLDOFF), 1);
	assert_entry(n_captured - 1, PRECOND_REACHABLE, LOG_NOTICE, "ok");
}

static void test_reachable_substate_change_is_held(void **state)
{
	(void)state;
	reachable_fails_with(PROBE_NOT_PAIRED);
	run(1000);
	reachable_fails_with(PROBE_TRUST_PENDING);
	assert_int_equal(run(1010), 0);
	assert_int_equal(run(1000 + HOLDOFF), 1);
	assert_string_equal(captured[1].message_id, message_id(MSG_UNREACHABLE_TRUST_PENDING));
}

static void test_icloud_service_never_per_device(void **state)
{
	(void)state;
	set(PRECOND_ICLOUD_SERVICE, VERDICT_FAILING, "Outage");
	assert_int_equal(run(1000), 0);
	assert_int_equal(rec.alerts[PRECOND_ICLOUD_SERVICE].announced, VERDICT_UNKNOWN);
}

static void test_attach_detach(void **state)
{
	(void)state;
	alert_device_attached(&rec, &sink);
	alert_device_detached(&rec, &sink);
	assert_int_equal(n_captured, 2);
	assert_string_equal(captured[0].message_id, message_id(MSG_DEVICE_ATTACHED));
	assert_int_equal(captured[0].priority, LOG_INFO);
	assert_string_equal(captured[1].message_id, message_id(MSG_DEVICE_DETACHED));
	assert_int_equal(captured[1].priority, LOG_NOTICE);
	assert_string_equal(captured[1].udid, rec.udid);
	assert_non_null(strstr(captured[0].message, "Cart 1 Slot 3"));
}

static void test_icloud_service_fleet(void **state)
{
	struct fleet_alerts fleet = {0};
	struct feed_state feed = {.have_good = true, .n_active = 1};
	struct verdict v = {VERDICT_FAILING, "Outage on iCloud Backup"};

	(void)state;
	strcpy(feed.active[0].status_type, "Outage");
	strcpy(feed.active[0].event_status, "ongoing");
	strcpy(feed.active[0].message, "Users may be unable to back up");
	feed.active[0].start_unix = 1700000000;
	assert_int_equal(alert_icloud_service(&fleet, &v, &feed, 5000, HOLDOFF, &sink), 1);
	assert_string_equal(captured[0].message_id,
	                    message_id_for_precondition(PRECOND_ICLOUD_SERVICE));
	assert_int_equal(captured[0].priority, LOG_WARNING);
	assert_string_equal(captured[0].udid, "");
	assert_string_equal(captured[0].extra[0], "STATUS_TYPE=Outage");
	assert_string_equal(captured[0].extra[3], "SINCE=2023-11-14T22:13:20Z");
	assert_non_null(strstr(captured[0].message, "Users may be unable to back up"));
	assert_int_equal(alert_icloud_service(&fleet, &v, &feed, 5100, HOLDOFF, &sink), 0);
	v = (struct verdict){VERDICT_UNKNOWN, "no feed"};
	assert_int_equal(alert_icloud_service(&fleet, &v, NULL, 5000 + HOLDOFF, HOLDOFF, &sink), 0);
	v = (struct verdict){VERDICT_OK, "operational"};
	assert_int_equal(alert_icloud_service(&fleet, &v, NULL, 5000 + HOLDOFF, HOLDOFF, &sink), 1);
	assert_int_equal(captured[1].priority, LOG_NOTICE);
	assert_string_equal(captured[1].state, "ok");
}

static void test_feed_reachability(void **state)
{
	struct fleet_alerts fleet = {0};
	struct feed_state feed = {.unreachable = true, .unreachable_since = 1000};

	(void)state;
	strcpy(feed.last_error, "Could not resolve host");
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 1000 + 3599, 3600, &sink), 0);
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 1000 + 3600, 3600, &sink), 1);
	assert_string_equal(captured[0].message_id, message_id(MSG_FEED_UNREACHABLE));
	assert_int_equal(captured[0].priority, LOG_WARNING);
	assert_string_equal(captured[0].extra[1], "FEED_ERROR=Could not resolve host");
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 9000, 3600, &sink), 0);
	feed.unreachable = false;
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 9100, 3600, &sink), 1);
	assert_int_equal(captured[1].priority, LOG_NOTICE);
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 9200, 3600, &sink), 0);
	/* a short outage never warned: nothing when it ends */
	feed.unreachable = true;
	feed.unreachable_since = 9300;
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 9400, 3600, &sink), 0);
	feed.unreachable = false;
	assert_int_equal(alert_feed_reachability(&fleet, &feed, 9500, 3600, &sink), 0);
	assert_int_equal(n_captured, 2);
}

static void test_usbmuxd(void **state)
{
	struct fleet_alerts fleet = {0};

	(void)state;
	assert_int_equal(alert_usbmuxd(&fleet, true, NULL, &sink), 0);
	assert_int_equal(alert_usbmuxd(&fleet, false, "connection refused", &sink), 1);
	assert_int_equal(alert_usbmuxd(&fleet, false, "connection refused", &sink), 0);
	assert_int_equal(alert_usbmuxd(&fleet, true, NULL, &sink), 1);
	assert_string_equal(captured[0].message_id, message_id(MSG_USBMUXD_UNAVAILABLE));
	assert_int_equal(captured[0].priority, LOG_WARNING);
	assert_non_null(strstr(captured[0].message, "connection refused"));
	assert_int_equal(captured[1].priority, LOG_NOTICE);
}

static void test_message_ids_unique_and_hex(void **state)
{
	(void)state;
	for (int i = 0; i < MSG_COUNT; i++) {
		const struct message_id_info *a = message_id_info((enum message_key)i);
		assert_int_equal(a->key, i);
		assert_int_equal(strlen(a->id), 32);
		assert_int_equal(strspn(a->id, "0123456789abcdef"), 32);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(a->id, message_id_info((enum message_key)j)->id);
	}
	assert_null(message_id_info(MSG_COUNT));
	assert_string_equal(message_id_for_unreachable(PROBE_OK),
	                    message_id_for_precondition(PRECOND_REACHABLE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_first_ok_is_silent, setup),
	    cmocka_unit_test_setup(test_failure_then_recovery, setup),
	    cmocka_unit_test_setup(test_backup_recent_is_error, setup),
	    cmocka_unit_test_setup(test_failing_at_first_sight_announced, setup),
	    cmocka_unit_test_setup(test_unknown_never_announces_nor_clears, setup),
	    cmocka_unit_test_setup(test_holdoff_suppresses_flap, setup),
	    cmocka_unit_test_setup(test_holdoff_flap_back_writes_nothing, setup),
	    cmocka_unit_test_setup(test_holdoff_zero_disables, setup),
	    cmocka_unit_test_setup(test_reachable_sub_states, setup),
	    cmocka_unit_test_setup(test_reachable_substate_change_is_held, setup),
	    cmocka_unit_test_setup(test_icloud_service_never_per_device, setup),
	    cmocka_unit_test_setup(test_attach_detach, setup),
	    cmocka_unit_test_setup(test_icloud_service_fleet, setup),
	    cmocka_unit_test_setup(test_feed_reachability, setup),
	    cmocka_unit_test_setup(test_usbmuxd, setup),
	    cmocka_unit_test_setup(test_message_ids_unique_and_hex, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
