/* SPDX-License-Identifier: ISC */
/* probe_reply_check: a helper's reply becomes facts only when every field is what a helper may
 * send; the udid, time and duration are the daemon's own; strings come out cleaned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "probe_reply_check.h"
#include "probe_wire.h"
#include "xmalloc.h"

#define UDID "00008120-001A2B3C4D5E6F01"

static const struct probe_reply_job job = {
    .udid = UDID, .seq = 7, .now_unix = 1795963500, .elapsed_ms = 321};

static struct probe_reply valid_reply(void)
{
	struct probe_reply reply = {.magic = PROBE_WIRE_MAGIC, .seq = 7};
	facts_init(&reply.facts, UDID);
	reply.facts.status = PROBE_OK;
	strlcpy_safe(reply.facts.name, "Cart 3 #12", sizeof(reply.facts.name));
	reply.facts.backup_enabled = TRI_YES;
	reply.facts.has_last_backup = true;
	reply.facts.last_backup_unix = 1795960000;
	reply.facts.battery_percent = 87;
	reply.facts.total_data_capacity = 256000000000LL;
	reply.facts.total_data_available = 0;
	reply.facts.probed_at_unix = 5;  /* the helper's clock: replaced */
	reply.facts.probe_ms = 99999999; /* replaced */
	return reply;
}

static void test_valid_reply_is_taken(void **state)
{
	struct probe_reply reply = valid_reply();
	struct device_facts out;
	char why[200] = "";

	(void)state;
	assert_true(probe_reply_check(&reply, sizeof(reply), &job, &out, why, sizeof(why)));
	assert_string_equal(out.udid, UDID);
	assert_string_equal(out.name, "Cart 3 #12");
	assert_int_equal(out.battery_percent, 87);
	assert_int_equal(out.probed_at_unix, job.now_unix);
	assert_int_equal(out.probe_ms, job.elapsed_ms);
}

static void test_strings_are_cleaned(void **state)
{
	struct probe_reply reply = valid_reply();
	struct device_facts out;
	char why[200];

	(void)state;
	strlcpy_safe(reply.facts.name, "Cart\n3 \x1b[2J\xff", sizeof(reply.facts.name));
	strlcpy_safe(reply.facts.wifi_ssid, "Net\tWork", sizeof(reply.facts.wifi_ssid));
	memset(reply.facts.serial, 'x', sizeof(reply.facts.serial) - 2);
	reply.facts.serial[sizeof(reply.facts.serial) - 2] = '\n'; /* its escape does not fit */
	reply.facts.serial[sizeof(reply.facts.serial) - 1] = '\0';
	assert_true(probe_reply_check(&reply, sizeof(reply), &job, &out, why, sizeof(why)));
	assert_string_equal(out.name, "Cart\\n3 \\033[2J\\xff");
	assert_string_equal(out.wifi_ssid, "Net\\tWork");
	assert_int_equal(strlen(out.serial), sizeof(out.serial) - 2);
}

/* Each lie: how it is made, and the reason the checker must give. */
static void lie_status(struct probe_reply *r)
{
	r->facts.status = (enum probe_status)99;
}
static void lie_not_yet(struct probe_reply *r)
{
	r->facts.status = PROBE_NOT_YET;
}
static void lie_tristate(struct probe_reply *r)
{
	r->facts.backup_enabled = (enum tristate)0x40000000;
}
static void lie_bool(struct probe_reply *r)
{
	((unsigned char *)&r->facts)[offsetof(struct device_facts, has_last_backup)] = 2;
}
static void lie_udid(struct probe_reply *r)
{
	strlcpy_safe(r->facts.udid, "00008120-001A2B3C4D5E6F02", sizeof(r->facts.udid));
}
static void lie_unterminated(struct probe_reply *r)
{
	memset(r->facts.product_version, '9', sizeof(r->facts.product_version));
}
static void lie_battery(struct probe_reply *r)
{
	r->facts.battery_percent = 250;
}
static void lie_date(struct probe_reply *r)
{
	r->facts.last_backup_unix = INT64_MAX;
}
static void lie_date_flag(struct probe_reply *r)
{
	r->facts.last_backup_unreadable = true;
}
static void lie_size(struct probe_reply *r)
{
	r->facts.total_data_available = -2;
}
static void lie_magic(struct probe_reply *r)
{
	r->magic = 0;
}
static void lie_seq(struct probe_reply *r)
{
	r->seq = 6;
}

static void test_lies_are_rejected(void **state)
{
	static const struct {
		void (*make)(struct probe_reply *r);
		const char *why;
	} lies[] = {
	    {lie_status, "probe helper sent an invalid reply (status 99)"},
	    {lie_not_yet, "probe helper sent an invalid reply (status 0)"},
	    {lie_tristate, "probe helper sent an invalid reply (backup_enabled 1073741824)"},
	    {lie_bool, "probe helper sent an invalid reply (has_last_backup 2)"},
	    {lie_udid, "probe helper sent an invalid reply (udid of another phone)"},
	    {lie_unterminated,
	     "probe helper sent an invalid reply (product_version not terminated)"},
	    {lie_battery, "probe helper sent an invalid reply (battery 250)"},
	    {lie_date, "probe helper sent an invalid reply (last backup date 9223372036854775807)"},
	    {lie_date_flag,
	     "probe helper sent an invalid reply (last backup date both read and unreadable)"},
	    {lie_size, "probe helper sent an invalid reply (data available -2)"},
	    {lie_magic, "probe helper sent an invalid reply (magic 0x00000000)"},
	    {lie_seq, "probe helper sent an invalid reply (seq 6, expected 7)"},
	};
	struct device_facts out;
	char why[200];

	(void)state;
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		struct probe_reply reply = valid_reply();
		lies[i].make(&reply);
		assert_false(
		    probe_reply_check(&reply, sizeof(reply), &job, &out, why, sizeof(why)));
		assert_string_equal(why, lies[i].why);
	}
}

static void test_wrong_sizes_are_rejected(void **state)
{
	unsigned char bytes[sizeof(struct probe_reply) + 8] = {0};
	struct probe_reply reply = valid_reply();
	struct device_facts out;
	char why[200];

	(void)state;
	memcpy(bytes, &reply, sizeof(reply));
	assert_false(probe_reply_check(bytes, 12, &job, &out, why, sizeof(why)));
	assert_string_equal(why, "probe helper sent an invalid reply (reply of 12 bytes)");
	assert_false(probe_reply_check(bytes, sizeof(bytes), &job, &out, why, sizeof(why)));
	assert_false(probe_reply_check(bytes, 0, &job, &out, why, sizeof(why)));
}

static struct action_reply valid_action(void)
{
	struct action_reply reply = {.magic = PROBE_WIRE_MAGIC, .seq = 7, .outcome = ACTION_DONE};
	return reply;
}

static void test_action_reply(void **state)
{
	(void)state;
	struct action_result out;
	char why[160], want[64];
	struct action_reply reply = valid_action();
	assert_true(action_reply_check(&reply, sizeof(reply), 7, &out, why, sizeof(why)));
	assert_int_equal(out.outcome, ACTION_DONE);

	reply.outcome = ACTION_DEVICE_ERROR;
	reply.code = 212;
	strcpy(reply.description, "Setup \033[31m not finished");
	assert_true(action_reply_check(&reply, sizeof(reply), 7, &out, why, sizeof(why)));
	assert_int_equal(out.code, 212);
	assert_string_equal(out.description, "Setup \\033[31m not finished");

	struct action_reply bad = valid_action();
	bad.magic = 1;
	assert_false(action_reply_check(&bad, sizeof(bad), 7, &out, why, sizeof(why)));
	assert_string_equal(why, "magic 0x00000001");
	bad = valid_action();
	assert_false(action_reply_check(&bad, sizeof(bad), 8, &out, why, sizeof(why)));
	assert_string_equal(why, "seq 7, expected 8");
	bad.outcome = ACTION_TIMED_OUT; /* daemon-side outcomes never come from a helper */
	assert_false(action_reply_check(&bad, sizeof(bad), 7, &out, why, sizeof(why)));
	snprintf(want, sizeof(want), "action outcome %d", ACTION_TIMED_OUT);
	assert_string_equal(why, want);
	bad = valid_action();
	bad.code = -17;
	assert_false(action_reply_check(&bad, sizeof(bad), 7, &out, why, sizeof(why)));
	assert_string_equal(why, "action done with code -17");
	bad = valid_action();
	memset(bad.description, 'x', sizeof(bad.description));
	assert_false(action_reply_check(&bad, sizeof(bad), 7, &out, why, sizeof(why)));
	assert_string_equal(why, "action description not terminated");
	bad = valid_action();
	assert_false(action_reply_check(&bad, sizeof(bad) - 1, 7, &out, why, sizeof(why)));
	struct probe_reply probe = valid_reply(); /* a probe's answer where an action's was due */
	assert_false(action_reply_check(&probe, sizeof(probe), 7, &out, why, sizeof(why)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_reply_is_taken),
	    cmocka_unit_test(test_strings_are_cleaned),
	    cmocka_unit_test(test_lies_are_rejected),
	    cmocka_unit_test(test_wrong_sizes_are_rejected),
	    cmocka_unit_test(test_action_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
