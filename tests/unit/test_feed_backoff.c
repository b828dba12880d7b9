/* SPDX-License-Identifier: ISC */
/* feed_backoff_delay_ms: doubling from the base, capped at the interval, jitter only ever
 * shortens by up to a fifth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "feed_poll.h"

#define BASE 30000
#define CAP  300000

static void test_doubling_without_jitter(void **unused)
{
	const int64_t expected[] = {30000, 60000, 120000, 240000, 300000, 300000};
	(void)unused;

	for (int i = 0; i < (int)(sizeof(expected) / sizeof(expected[0])); i++)
		assert_int_equal(feed_backoff_delay_ms(i + 1, BASE, CAP, 0), expected[i]);
	assert_int_equal(feed_backoff_delay_ms(0, BASE, CAP, 0), BASE);
	assert_int_equal(feed_backoff_delay_ms(1000000, BASE, CAP, 0), CAP); /* no overflow */
}

static void test_jitter_bounds(void **unused)
{
	uint64_t random = 0x0123456789abcdefULL;
	int64_t lowest = CAP, highest = 0;
	(void)unused;

	for (int i = 0; i < 10000; i++) {
		int64_t delay;

		random = random * 6364136223846793005ULL + 1442695040888963407ULL;
		delay = feed_backoff_delay_ms(2, BASE, CAP, random);
		assert_in_range(delay, 48000, 60000);
		lowest = delay < lowest ? delay : lowest;
		highest = delay > highest ? delay : highest;
	}
	assert_true(highest - lowest > 10000); /* it does spread */
	assert_int_equal(feed_backoff_delay_ms(1, BASE, CAP, 6000), BASE - 6000);
	assert_int_equal(feed_backoff_delay_ms(1, BASE, CAP, 6001), BASE);
}

static void test_degenerate_arguments(void **unused)
{
	(void)unused;
	assert_int_equal(feed_backoff_delay_ms(1, BASE * 20, CAP, 0), CAP); /* base > cap */
	assert_int_equal(feed_backoff_delay_ms(3, 0, CAP, 0), 4);
	assert_int_equal(feed_backoff_delay_ms(3, BASE, 0, 0), 1);
	assert_int_equal(feed_backoff_delay_ms(1, 1, 1, UINT64_MAX), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_doubling_without_jitter),
	    cmocka_unit_test(test_jitter_bounds),
	    cmocka_unit_test(test_degenerate_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
