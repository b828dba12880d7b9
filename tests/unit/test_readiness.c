/* SPDX-License-Identifier: ISC */
/* verdicts_readiness (preconditions.c): the three answers and which unknowns allow "ready". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "preconditions.h"
#include "precondition.h"

#define O VERDICT_OK
#define F VERDICT_FAILING
#define U VERDICT_UNKNOWN

struct readiness_case {
	const char *what;
	bool attached;
	/* reachable, backup_enabled, locked, power, wifi, icloud_storage, ios_current,
	 * backup_recent, icloud_service */
	enum verdict_state states[PRECOND_COUNT];
	enum readiness want;
};

static const struct readiness_case cases[] = {
    {"everything ok", true, {O, O, O, O, O, O, O, O, O}, READINESS_READY},
    {"nothing observed (not probed yet)", true, {U, U, U, U, U, U, U, U, U}, READINESS_UNKNOWN},
    {"detached, last seen ok", false, {O, O, O, O, O, O, O, O, O}, READINESS_UNKNOWN},
    {"detached, last seen failing", false, {O, F, O, O, O, O, O, O, O}, READINESS_UNKNOWN},
    {"backup off", true, {O, F, O, O, O, O, O, O, O}, READINESS_NOT_READY},
    {"unreachable, nothing else known", true, {F, U, U, U, U, U, U, U, O}, READINESS_UNKNOWN},
    {"unreachable, backup known stale", true, {F, U, U, U, U, U, U, F, O}, READINESS_NOT_READY},
    {"not probed yet, Apple outage", true, {U, U, U, U, U, U, U, U, F}, READINESS_NOT_READY},
    {"Wi-Fi unreadable", true, {O, O, O, O, U, O, O, O, O}, READINESS_READY},
    {"storage unreadable", true, {O, O, O, O, O, U, O, O, O}, READINESS_READY},
    {"no Apple status yet", true, {O, O, O, O, O, O, O, O, U}, READINESS_READY},
    {"backup setting unreadable", true, {O, U, O, O, O, O, O, O, O}, READINESS_UNKNOWN},
    {"lock state unreadable", true, {O, O, U, O, O, O, O, O, O}, READINESS_UNKNOWN},
    {"power unreadable", true, {O, O, O, U, O, O, O, O, O}, READINESS_UNKNOWN},
    {"iOS version unreadable with MinimumIOS",
     true,
     {O, O, O, O, O, O, U, O, O},
     READINESS_UNKNOWN},
    {"backup date unreadable", true, {O, O, O, O, O, O, O, U, O}, READINESS_UNKNOWN},
    {"failing wins over unknown", true, {O, U, O, O, O, O, O, F, O}, READINESS_NOT_READY},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct verdict verdicts[PRECOND_COUNT];
		memset(verdicts, 0, sizeof(verdicts));
		for (int p = 0; p < PRECOND_COUNT; p++)
			verdicts[p].state = cases[i].states[p];
		enum readiness got = verdicts_readiness(verdicts, cases[i].attached);
		if (got != cases[i].want)
			fail_msg("%s: got %s, want %s", cases[i].what, readiness_name(got),
			         readiness_name(cases[i].want));
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(readiness_name(READINESS_READY), "ready");
	assert_string_equal(readiness_name(READINESS_NOT_READY), "not_ready");
	assert_string_equal(readiness_name(READINESS_UNKNOWN), "unknown");
	assert_string_equal(readiness_name((enum readiness)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
