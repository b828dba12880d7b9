/* SPDX-License-Identifier: ISC */
/* text_width.c: the C locale's own table (wide CJK, kana, Hangul, fullwidth forms and emoji 2,
 * combining and zero-width marks 0), the same widths from wcwidth(3) in C.UTF-8, and cuts that
 * never split a character nor part a mark from its base. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text_width.h"

static const struct {
	uint32_t code;
	int width;
} samples[] = {
    {'A', 1},     {0xe9, 1},   {0xad, 1},    {0x301, 0},   {0x200b, 0},   {0xfe0f, 0},
    {0x1160, 0},  {0x1100, 2}, {0x30ab, 2},  {0x7406, 2},  {0xac00, 2},   {0xff21, 2},
    {0x1f4f1, 2}, {0x2764, 1}, {0x20000, 2}, {0xe0100, 0}, {0x10fffd, 1},
};

static void check_samples(void)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		print_message("U+%04X\n", (unsigned)samples[i].code);
		assert_int_equal(text_char_width(samples[i].code), samples[i].width);
	}
}

static void test_c_locale_table(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C"));
	check_samples();
	assert_int_equal(text_width("\xe7\x90\x86\xe7\xa7\x91\xe3\x82\xab\xe3\x83\xbc\xe3\x83\x88"
	                            "3"),
	                 11); /* 理科カート3 */
}

static void test_wcwidth_agrees(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	check_samples();
	setlocale(LC_CTYPE, "C");
}

static void test_cut_between_characters(void **state)
{
	(void)state;
	int width;
	/* ＡＢ: a wide character that would straddle the limit goes whole */
	assert_int_equal(text_width_cut("\xef\xbc\xa1\xef\xbc\xa2", 3, &width), 3);
	assert_int_equal(width, 2);
	/* e + COMBINING ACUTE, x: the mark stays with its base */
	assert_int_equal(text_width_cut("e\xcc\x81x", 1, &width), 3);
	assert_int_equal(width, 1);
	/* a byte that is not UTF-8 is one column of its own */
	assert_int_equal(text_width("a\xff"), 2);
	assert_int_equal(text_width_cut("a\xff"
	                                "b",
	                                2, NULL),
	                 2);
	assert_int_equal(text_width_cut("abc", 0, &width), 0);
	assert_int_equal(width, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_c_locale_table),
	    cmocka_unit_test(test_wcwidth_agrees),
	    cmocka_unit_test(test_cut_between_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
