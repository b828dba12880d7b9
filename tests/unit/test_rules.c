/* SPDX-License-Identifier: ISC */
/* rules: every branch of every precondition row, and the version helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "rules.h"
#include "version_text.h"

#define NOW  1800000000LL
#define HOUR 3600LL
#define GB   1000000000LL

static struct rule_limits limits;
static struct feed_state feed;
static struct device_facts facts;
static struct verdict out[PRECOND_COUNT];

/* A phone that meets every precondition. */
static int setup(void **state)
{
	struct backupd_config config;

	(void)state;
	config_defaults(&config);
	limits = config.limits;
	memset(&feed, 0, sizeof(feed));
	feed.have_good = true;
	facts_init(&facts, "00008030-001A2B3C4D5E6F70");
	facts.status = PROBE_OK;
	strcpy(facts.product_version, "17.5.1");
	facts.password_protected = TRI_YES;
	facts.backup_enabled = TRI_YES;
	facts.has_last_backup = true;
	facts.last_backup_unix = NOW - 3 * HOUR;
	facts.external_connected = TRI_YES;
	facts.battery_charging = TRI_YES;
	facts.fully_charged = TRI_NO;
	facts.battery_percent = 80;
	facts.wifi_associated = TRI_YES;
	strcpy(facts.wifi_ssid, "Cart 3");
	facts.total_data_capacity = 64 * GB;
	facts.total_data_available = 60 * GB;
	memset(out, 0x5a, sizeof(out)); /* every row must be overwritten */
	return 0;
}

static const struct verdict *evaluate(enum precondition_id id)
{
	rules_evaluate(&facts, &feed, NULL, &limits, NOW, out);
	return &out[id];
}

static void expect(enum precondition_id id, enum verdict_state state, const char *reason)
{
	const struct verdict *verdict = evaluate(id);

	assert_string_equal(verdict->reason, reason);
	assert_int_equal(verdict->state, state);
}

static void test_all_good_is_ready(void **state)
{
	(void)state;
	rules_evaluate(&facts, &feed, NULL, &limits, NOW, out);
	for (int i = 0; i < PRECOND_COUNT; i++) {
		assert_int_equal(out[i].state, VERDICT_OK);
		assert_non_null(memchr(out[i].reason, '\0', sizeof(out[i].reason)));
	}
	assert_int_equal(verdicts_readiness(out, true), READINESS_READY);
}

static void test_reachable_each_probe_status(void **state)
{
	static const struct {
		enum probe_status status;
		const char *error;
		enum verdict_state state;
		const char *reason;
	} cases[] = {
	    {PROBE_OK, "", VERDICT_OK, "read over USB"},
	    {PROBE_NOT_YET, "", VERDICT_UNKNOWN, "not probed yet"},
	    {PROBE_NOT_PAIRED, "", VERDICT_FAILING,
	     "not paired with this computer: unlock it and tap Trust"},
	    {PROBE_TRUST_PENDING, "", VERDICT_FAILING,
	     "trust pending: \"Trust this computer?\" is waiting on the screen"},
	    {PROBE_PAIRING_DENIED, "", VERDICT_FAILING,
	     "pairing denied: \"Don't Trust\" was tapped; reconnect the cable and tap Trust"},
	    {PROBE_LOCKED_SINCE_BOOT, "", VERDICT_FAILING,
	     "locked since restart: unlock it once with the passcode"},
	    {PROBE_UNRESPONSIVE, "no answer within 10s", VERDICT_FAILING,
	     "unresponsive: no answer within 10s"},
	    {PROBE_UNRESPONSIVE, "", VERDICT_FAILING, "unresponsive"},
	    {PROBE_VANISHED, "ignored", VERDICT_FAILING, "disconnected during the probe"},
	    {PROBE_PROTOCOL_ERROR, "lockdownd: SSL error", VERDICT_FAILING,
	     "protocol error: lockdownd: SSL error"},
	    {PROBE_PROTOCOL_ERROR, "", VERDICT_FAILING, "protocol error"},
	    {PROBE_STATUS_COUNT, "", VERDICT_UNKNOWN, "invalid probe status 9"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		facts.status = cases[i].status;
		strcpy(facts.error, cases[i].error);
		expect(PRECOND_REACHABLE, cases[i].state, cases[i].reason);
	}
}

static void test_unreachable_makes_device_rows_unknown(void **state)
{
	(void)state;
	facts.status = PROBE_NOT_PAIRED;
	rules_evaluate(&facts, &feed, NULL, &limits, NOW, out);
	for (int id = PRECOND_BACKUP_ENABLED; id <= PRECOND_IOS_CURRENT; id++) {
		assert_int_equal(out[id].state, VERDICT_UNKNOWN);
		assert_string_equal(out[id].reason, "device not readable: not paired");
	}
	/* the remembered backup date and the fleet-wide feed are still judged */
	assert_int_equal(out[PRECOND_BACKUP_RECENT].state, VERDICT_OK);
	assert_string_equal(out[PRECOND_BACKUP_RECENT].reason, "last backup 3 h ago");
	assert_int_equal(out[PRECOND_ICLOUD_SERVICE].state, VERDICT_OK);
	assert_int_equal(verdicts_readiness(out, true), READINESS_UNKNOWN);
}

static void test_unreachable_without_backup_date_is_unknown(void **state)
{
	(void)state;
	facts.status = PROBE_NOT_YET;
	facts.has_last_backup = false;
	expect(PRECOND_BACKUP_RECENT, VERDICT_UNKNOWN, "device not readable: not probed yet");
	facts.status = PROBE_UNRESPONSIVE;
	expect(PRECOND_WIFI, VERDICT_UNKNOWN, "device not readable: unresponsive");
	facts.status = PROBE_STATUS_COUNT;
	expect(PRECOND_LOCKED, VERDICT_UNKNOWN, "device not readable: invalid probe status");
}

static void test_short_status_texts(void **state)
{
	(void)state;
	assert_string_equal(rules_probe_status_short(PROBE_OK), "");
	assert_string_equal(rules_probe_status_short(PROBE_LOCKED_SINCE_BOOT),
	                    "locked since restart");
	for (int s = PROBE_NOT_YET; s < PROBE_STATUS_COUNT; s++)
		if (s != PROBE_OK)
			assert_true(strlen(rules_probe_status_short((enum probe_status)s)) > 0);
}

/* A row read straight from one tri-state fact: yes, no and unknown each have their reason. */
static void check_tristate_row(enum precondition_id id, enum tristate *fact, const char *yes,
                               const char *no, const char *unknown)
{
	*fact = TRI_YES;
	expect(id, VERDICT_OK, yes);
	*fact = TRI_NO;
	expect(id, VERDICT_FAILING, no);
	*fact = TRI_UNKNOWN;
	expect(id, VERDICT_UNKNOWN, unknown);
}

static void test_backup_enabled(void **state)
{
	(void)state;
	check_tristate_row(PRECOND_BACKUP_ENABLED, &facts.backup_enabled, "iCloud Backup is on",
	                   "iCloud Backup is switched off", "iCloud Backup setting not readable");
}

static void test_locked(void **state)
{
	(void)state;
	check_tristate_row(PRECOND_LOCKED, &facts.password_protected, "screen locked",
	                   "screen unlocked: backup waits for the screen to lock",
	                   "lock state not readable");
}

static void test_power(void **state)
{
	static const struct {
		enum tristate external, charging, full;
		int percent;
		enum verdict_state state;
		const char *reason;
	} cases[] = {
	    /* Charging is evidence of power (issue 21 item 9): ExternalConnected omitted or
	     * contradicting it does not make power unknown. */
	    {TRI_UNKNOWN, TRI_YES, TRI_NO, 50, VERDICT_OK, "on power, charging (battery 50%)"},
	    {TRI_NO, TRI_YES, TRI_NO, 60, VERDICT_OK, "on power, charging (battery 60%)"},
	    {TRI_UNKNOWN, TRI_NO, TRI_NO, 50, VERDICT_UNKNOWN,
	     "power state not readable (battery 50%)"},
	    {TRI_NO, TRI_NO, TRI_NO, 40, VERDICT_FAILING, "not on power (battery 40%)"},
	    {TRI_NO, TRI_UNKNOWN, TRI_UNKNOWN, -1, VERDICT_FAILING, "not on power"},
	    {TRI_YES, TRI_NO, TRI_YES, 100, VERDICT_OK, "on power, fully charged (battery 100%)"},
	    {TRI_YES, TRI_YES, TRI_NO, 80, VERDICT_OK, "on power, charging (battery 80%)"},
	    {TRI_YES, TRI_YES, TRI_UNKNOWN, 101, VERDICT_OK, "on power, charging"},
	    {TRI_YES, TRI_NO, TRI_NO, 35, VERDICT_FAILING,
	     "on power but not charging: the cable, port or adapter cannot charge it "
	     "(battery 35%)"},
	    {TRI_YES, TRI_NO, TRI_NO, 79, VERDICT_FAILING,
	     "on power but not charging: the cable, port or adapter cannot charge it "
	     "(battery 79%)"},
	    {TRI_YES, TRI_NO, TRI_NO, 80, VERDICT_OK,
	     "on power, charging paused (battery 80%) (Optimised Battery Charging holds at 80%)"},
	    {TRI_YES, TRI_NO, TRI_NO, -1, VERDICT_FAILING,
	     "on power but not charging: the cable, port or adapter cannot charge it"},
	    {TRI_YES, TRI_NO, TRI_UNKNOWN, 35, VERDICT_UNKNOWN,
	     "on power, charging state not readable (battery 35%)"},
	    {TRI_YES, TRI_UNKNOWN, TRI_NO, -1, VERDICT_UNKNOWN,
	     "on power, charging state not readable"},
	    {TRI_YES, TRI_UNKNOWN, TRI_UNKNOWN, 0, VERDICT_UNKNOWN,
	     "on power, charging state not readable (battery 0%)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		facts.external_connected = cases[i].external;
		facts.battery_charging = cases[i].charging;
		facts.fully_charged = cases[i].full;
		facts.battery_percent = cases[i].percent;
		expect(PRECOND_POWER, cases[i].state, cases[i].reason);
	}
}

static void test_wifi(void **state)
{
	(void)state;
	expect(PRECOND_WIFI, VERDICT_OK, "on Wi-Fi \"Cart 3\"");
	facts.wifi_ssid[0] = '\0';
	expect(PRECOND_WIFI, VERDICT_OK, "on Wi-Fi");
	facts.wifi_associated = TRI_NO;
	expect(PRECOND_WIFI, VERDICT_FAILING, "not on Wi-Fi");
	facts.wifi_associated = TRI_UNKNOWN;
	strcpy(facts.wifi_ssid, "stale");
	expect(PRECOND_WIFI, VERDICT_UNKNOWN, "Wi-Fi state not readable");
}

static void test_icloud_storage(void **state)
{
	(void)state;
	expect(PRECOND_ICLOUD_STORAGE, VERDICT_OK,
	       "estimate: 4.0 GB of data fits the 5.0 GB iCloud quota");
	facts.total_data_available = 59 * GB; /* used == quota: still fits */
	expect(PRECOND_ICLOUD_STORAGE, VERDICT_OK,
	       "estimate: 5.0 GB of data fits the 5.0 GB iCloud quota");
	facts.total_data_available = 59 * GB - 1;
	expect(PRECOND_ICLOUD_STORAGE, VERDICT_FAILING,
	       "estimate: 5.0 GB of data on the phone, more than the 5.0 GB iCloud quota");
	facts.total_data_available = 64 * GB - 12345678901LL;
	RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number = 200 * GB;
	expect(PRECOND_ICLOUD_STORAGE, VERDICT_OK,
	       "estimate: 12.3 GB of data fits the 200.0 GB iCloud quota");
}

static void test_icloud_storage_unknown(void **state)
{
	static const int64_t cases[][2] = {{-1, 10}, {10, -1}, {-1, -1}, {10, 11}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		facts.total_data_capacity = cases[i][0] * GB;
		facts.total_data_available = cases[i][1] * GB;
		if (cases[i][0] < 0)
			facts.total_data_capacity = -1;
		if (cases[i][1] < 0)
			facts.total_data_available = -1;
		expect(PRECOND_ICLOUD_STORAGE, VERDICT_UNKNOWN,
		       "estimate: device storage not readable");
	}
}

static void test_ios_current(void **state)
{
	(void)state;
	expect(PRECOND_IOS_CURRENT, VERDICT_OK, "not checked (no iOS catalog; MinimumIOS unset)");
	strcpy(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "17.6");
	expect(PRECOND_IOS_CURRENT, VERDICT_FAILING, "iOS 17.5.1 is older than the required 17.6");
	strcpy(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "17.5");
	expect(PRECOND_IOS_CURRENT, VERDICT_OK, "iOS 17.5.1 (minimum 17.5)");
	strcpy(facts.product_version, "17.10");
	strcpy(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "17.9");
	expect(PRECOND_IOS_CURRENT, VERDICT_OK, "iOS 17.10 (minimum 17.9)");
	strcpy(facts.product_version, "17");
	strcpy(RULE_LIMIT(limits, IOS_CURRENT, 0).text, "17.0");
	expect(PRECOND_IOS_CURRENT, VERDICT_OK, "iOS 17 (minimum 17.0)");
	facts.product_version[0] = '\0';
	expect(PRECOND_IOS_CURRENT, VERDICT_UNKNOWN, "iOS version not readable");
	strcpy(facts.product_version, "17.x");
	expect(PRECOND_IOS_CURRENT, VERDICT_UNKNOWN, "iOS version \"17.x\" not understood");
}

static void test_backup_recent(void **state)
{
	(void)state;
	expect(PRECOND_BACKUP_RECENT, VERDICT_OK, "last backup 3 h ago");
	facts.last_backup_unix = NOW - 36 * HOUR; /* exactly at the limit: still recent */
	expect(PRECOND_BACKUP_RECENT, VERDICT_OK, "last backup 36 h ago");
	facts.last_backup_unix = NOW - 52 * HOUR - 10;
	expect(PRECOND_BACKUP_RECENT, VERDICT_FAILING, "last backup 2 d 4 h ago (limit 36 h)");
	RULE_LIMIT(limits, BACKUP_RECENT, 0).number = 7 * 24 * HOUR;
	expect(PRECOND_BACKUP_RECENT, VERDICT_OK, "last backup 2 d 4 h ago");
	facts.last_backup_unix = NOW + 600; /* within clock skew */
	expect(PRECOND_BACKUP_RECENT, VERDICT_OK, "last backup 0 s ago");
	facts.last_backup_unix = NOW + 601;
	expect(PRECOND_BACKUP_RECENT, VERDICT_UNKNOWN,
	       "last backup date is in the future: check the phone's clock");
	facts.has_last_backup = false;
	expect(PRECOND_BACKUP_RECENT, VERDICT_FAILING, "never backed up");
}

/* A date the device sent in a shape we cannot read is unknown, never "never" (issue 10). */
static void test_backup_recent_unreadable(void **state)
{
	(void)state;
	facts.has_last_backup = false;
	facts.last_backup_unix = 0;
	facts.last_backup_unreadable = true;
	expect(PRECOND_BACKUP_RECENT, VERDICT_UNKNOWN, "last backup date not readable");
}

/* Dates from a state file or an old helper near the int64 limits: no overflow (UBSan). */
static void test_backup_recent_bounded(void **state)
{
	static const int64_t absurd[] = {INT64_MAX,
	                                 INT64_MIN,
	                                 INT64_MIN + 1,
	                                 -1,
	                                 FACTS_DATE_MAX_UNIX + 1,
	                                 FACTS_DATE_MIN_UNIX - 1};
	(void)state;
	for (size_t i = 0; i < sizeof(absurd) / sizeof(absurd[0]); i++) {
		facts.last_backup_unix = absurd[i];
		expect(PRECOND_BACKUP_RECENT, VERDICT_UNKNOWN, "last backup date not understood");
	}
}

static void test_icloud_service(void **state)
{
	struct verdict verdict;

	(void)state;
	rules_icloud_service(NULL, NOW, &verdict);
	assert_int_equal(verdict.state, VERDICT_UNKNOWN);
	assert_string_equal(verdict.reason, "no Apple status yet");
	feed.have_good = false;
	rules_icloud_service(&feed, NOW, &verdict);
	assert_int_equal(verdict.state, VERDICT_UNKNOWN);
	assert_string_equal(verdict.reason, "no Apple status yet");

	feed.have_good = true;
	expect(PRECOND_ICLOUD_SERVICE, VERDICT_OK, "operational");
	feed.unreachable = true;
	feed.unreachable_since = 1795963500;
	expect(PRECOND_ICLOUD_SERVICE, VERDICT_OK,
	       "operational (status feed unreachable since 2026-11-29 14:45 UTC; last known "
	       "state)");
}

static void test_icloud_service_events(void **state)
{
	(void)state;
	feed.n_active = 1;
	strcpy(feed.active[0].status_type, "Outage");
	strcpy(feed.active[0].message, "Some users are unable to back up.");
	feed.active[0].start_unix = 1795963500;
	expect(PRECOND_ICLOUD_SERVICE, VERDICT_FAILING,
	       "Apple reports Outage on iCloud Backup since 2026-11-29 14:45 UTC: Some users are "
	       "unable to back up.");
	feed.n_active = 2;
	feed.active[0].start_unix = 0;
	feed.active[0].status_type[0] = '\0';
	expect(PRECOND_ICLOUD_SERVICE, VERDICT_FAILING,
	       "Apple reports an event on iCloud Backup (+1 more): Some users are unable to back "
	       "up.");
	feed.unreachable = true; /* an active event wins over the "last known" note */
	assert_int_equal(evaluate(PRECOND_ICLOUD_SERVICE)->state, VERDICT_FAILING);
}

static void test_long_reason_is_cut_on_a_character(void **state)
{
	/* two type lengths of different parity: one of them makes the cut fall inside an é */
	static const char *const types[] = {"Issue", "Issues"};

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		const struct verdict *verdict;
		size_t length;

		feed.n_active = 1;
		strcpy(feed.active[0].status_type, types[t]);
		for (size_t i = 0; i + 2 < sizeof(feed.active[0].message); i += 2)
			memcpy(feed.active[0].message + i, "\xc3\xa9", 2); /* é */
		verdict = evaluate(PRECOND_ICLOUD_SERVICE);
		length = strlen(verdict->reason);
		assert_true(length < sizeof(verdict->reason));
		assert_true(length >= sizeof(verdict->reason) - 5);
		assert_string_equal(verdict->reason + length - 3, "...");
		assert_int_equal((unsigned char)verdict->reason[length - 5], 0xc3);
		assert_int_equal((unsigned char)verdict->reason[length - 4], 0xa9);
	}
}

static void test_compare_versions(void **state)
{
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
	    {"17.10", "17.9", 1},  {"17.9", "17.10", -1}, {"17", "17.0", 0}, {"17.0.0", "17", 0},
	    {"17.5.1", "17.5", 1}, {"16.7.8", "17", -1},  {"9", "10", -1},   {"17a.1", "17.1", 0},
	    {"18.0", "17.99", 1},  {"", "", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int result = rules_compare_versions(cases[i].a, cases[i].b);
		assert_int_equal((result > 0) - (result < 0), cases[i].sign);
	}
}

static void test_version_valid(void **state)
{
	static const char *const good[] = {"16", "17.5.1", "1.2.3.4", "999999999.0"};
	static const char *const bad[] = {"",     "17.",       ".5",         "17..1", "v17",
	                                  "17.a", "1.2.3.4.5", "1234567890", "17 .5", "-1"};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(version_text_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (version_text_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

#define TEST(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_all_good_is_ready),
	    TEST(test_reachable_each_probe_status),
	    TEST(test_unreachable_makes_device_rows_unknown),
	    TEST(test_unreachable_without_backup_date_is_unknown),
	    TEST(test_short_status_texts),
	    TEST(test_backup_enabled),
	    TEST(test_locked),
	    TEST(test_power),
	    TEST(test_wifi),
	    TEST(test_icloud_storage),
	    TEST(test_icloud_storage_unknown),
	    TEST(test_ios_current),
	    TEST(test_backup_recent),
	    TEST(test_backup_recent_unreadable),
	    TEST(test_backup_recent_bounded),
	    TEST(test_icloud_service),
	    TEST(test_icloud_service_events),
	    TEST(test_long_reason_is_cut_on_a_character),
	    TEST(test_compare_versions),
	    TEST(test_version_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
