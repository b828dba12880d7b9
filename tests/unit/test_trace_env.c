/* SPDX-License-Identifier: ISC */
/* trace_env.c: BACKUPD_TRACE on or off, and its words (loop_trace.h asks for "loop"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "trace_env.h"

static void with(const char *value)
{
	if (value)
		setenv("BACKUPD_TRACE", value, 1);
	else
		unsetenv("BACKUPD_TRACE");
}

static void test_on_off(void **state)
{
	(void)state;
	with(NULL);
	assert_false(trace_env_on());
	with("0");
	assert_false(trace_env_on());
	with("1");
	assert_true(trace_env_on());
	with("loop"); /* the loop tick alone */
	assert_false(trace_env_on());
	with("1,loop");
	assert_true(trace_env_on());
}

static void test_words(void **state)
{
	(void)state;
	with(NULL);
	assert_false(trace_env_wants("loop"));
	with("1");
	assert_false(trace_env_wants("loop"));
	with("loop");
	assert_true(trace_env_wants("loop"));
	with("1,loop");
	assert_true(trace_env_wants("loop"));
	with("x,loop,y");
	assert_true(trace_env_wants("loop"));
	with("looping,lo,1loop");
	assert_false(trace_env_wants("loop"));
	with(",,");
	assert_false(trace_env_wants("loop"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_on_off),
	    cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
