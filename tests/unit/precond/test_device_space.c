/* SPDX-License-Identifier: ISC */
/* device_space's judge: free storage on the phone against MinimumFreeSpace, its default from
 * the table's key, and what it does when the phone does not say. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "precondition.h"

#define GB 1000000000LL

static struct rule_limits limits;
static struct device_facts facts;

static int setup(void **state)
{
	struct backupd_config config;

	(void)state;
	config_defaults(&config);
	limits = config.limits;
	facts_init(&facts, "00008030-001A2B3C4D5E6F70");
	facts.status = PROBE_OK;
	facts.total_data_capacity = 244 * GB;
	facts.total_data_available = 12 * GB;
	return 0;
}

static void expect(enum verdict_state state, const char *reason)
{
	const struct judge_input in = {.facts = &facts, .limits = &limits, .now = 1800000000};
	struct verdict out;

	memset(&out, 0x5a, sizeof(out));
	precondition_device_space.judge(&in, &out);
	assert_string_equal(out.reason, reason);
	assert_int_equal(out.state, state);
}

static void test_default_floor(void **state)
{
	(void)state;
	assert_int_equal(RULE_LIMIT(limits, DEVICE_SPACE, 0).number, 1 * GB); /* "1G" */
	expect(VERDICT_OK, "12.0 GB free on the phone");
	facts.total_data_available = 1 * GB; /* at the floor: enough */
	expect(VERDICT_OK, "1.0 GB free on the phone");
	facts.total_data_available = 1 * GB - 1;
	expect(VERDICT_FAILING,
	       "0.9 GB free on the phone, less than the 1.0 GB it should keep free "
	       "(MinimumFreeSpace)");
	facts.total_data_available = 0;
	expect(VERDICT_FAILING,
	       "0.0 GB free on the phone, less than the 1.0 GB it should keep free "
	       "(MinimumFreeSpace)");
}

static void test_configured_floor(void **state)
{
	(void)state;
	RULE_LIMIT(limits, DEVICE_SPACE, 0).number = 20 * GB;
	expect(VERDICT_FAILING, "12.0 GB free on the phone, less than the 20.0 GB it should keep "
	                        "free (MinimumFreeSpace)");
	RULE_LIMIT(limits, DEVICE_SPACE, 0).number =
	    0; /* 0: not checked, whatever the phone says */
	facts.total_data_available = 0;
	expect(VERDICT_OK, "not checked (MinimumFreeSpace=0)");
	facts.total_data_available = -1;
	expect(VERDICT_OK, "not checked (MinimumFreeSpace=0)");
}

/* Not read, or more free than the phone holds: unknown, which does not hold readiness back. */
static void test_unknown(void **state)
{
	(void)state;
	facts.total_data_available = -1;
	expect(VERDICT_UNKNOWN, "free storage on the phone not readable");
	facts.total_data_available = 245 * GB;
	expect(VERDICT_UNKNOWN, "free storage on the phone not readable");
	facts.total_data_capacity = -1; /* capacity unread: free space alone still judges */
	facts.total_data_available = 12 * GB;
	expect(VERDICT_OK, "12.0 GB free on the phone");
	assert_true(precondition_device_space.unknown_allows_ready);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_default_floor, setup),
	    cmocka_unit_test_setup(test_configured_floor, setup),
	    cmocka_unit_test_setup(test_unknown, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
