/* SPDX-License-Identifier: ISC */
/* text_clean: device strings made visible as vis(3) does, cut only between characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text_clean.h"

static void test_visible_forms(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"Cart 3 #12", "Cart 3 #12"},
	    {"a\nb", "a\\nb"},
	    {"a\r\tb", "a\\r\\tb"},
	    {"back\\slash", "back\\\\slash"},
	    {"\x1b[31mred", "\\033[31mred"},
	    {"del\x7f", "del\\177"},
	    {"bell\a", "bell\\007"},
	    {"caf\xc3\xa9", "caf\xc3\xa9"},                           /* é kept */
	    {"\xe5\xad\xa6\xe6\xa0\xa1", "\xe5\xad\xa6\xe6\xa0\xa1"}, /* 学校 kept */
	    {"\xf0\x9f\x93\xb1", "\xf0\x9f\x93\xb1"},                 /* emoji kept */
	    {"bad\xff", "bad\\xff"},
	    {"\xc3", "\\xc3"},                                  /* truncated sequence */
	    {"\xc0\xaf", "\\xc0\\xaf"},                         /* overlong "/" */
	    {"\xed\xa0\x80", "\\xed\\xa0\\x80"},                /* surrogate */
	    {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},       /* past U+10FFFF */
	    {"c1\xc2\x85", "c1\\302\\205"},                     /* NEL, a C1 control */
	    {"rtl\xe2\x80\xae", "rtl\\342\\200\\256"},          /* RIGHT-TO-LEFT OVERRIDE */
	    {"ls\xe2\x80\xa8", "ls\\342\\200\\250"},            /* LINE SEPARATOR */
	    {"z\xe2\x80\x8bw", "z\\342\\200\\213w"},            /* ZERO WIDTH SPACE */
	    {"zwj\xe2\x80\x8d", "zwj\\342\\200\\215"},          /* ZERO WIDTH JOINER */
	    {"bom\xef\xbb\xbf", "bom\\357\\273\\277"},          /* ZERO WIDTH NO-BREAK SPACE */
	    {"alm\xd8\x9c", "alm\\330\\234"},                   /* ARABIC LETTER MARK */
	    {"sh\xc2\xady", "sh\\302\\255y"},                   /* SOFT HYPHEN */
	    {"tag\xf3\xa0\x80\x81", "tag\\363\\240\\200\\201"}, /* LANGUAGE TAG */
	    {"tag\xf3\xa0\x81\xbf", "tag\\363\\240\\201\\277"}, /* CANCEL TAG */
	};
	char out[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(text_clean(out, sizeof(out), cases[i].in, strlen(cases[i].in)));
		assert_string_equal(out, cases[i].out);
	}
}

/* text_reclean keeps backslashes, so text cleaned before (a state file) stays as it is, and
 * raw bytes in it are still cleaned. */
static void test_reclean_idempotent(void **state)
{
	static const char *const inputs[] = {
	    "a\nb", "back\\slash", "\x1b[31mred", "bad\xff", "rtl\xe2\x80\xae", "\\033 kept",
	};
	char once[128], twice[128];

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		assert_true(text_clean(once, sizeof(once), inputs[i], strlen(inputs[i])));
		assert_true(text_reclean(twice, sizeof(twice), once, strlen(once)));
		assert_string_equal(twice, once);
		assert_true(text_reclean(once, sizeof(once), twice, strlen(twice)));
		assert_string_equal(once, twice);
	}
	assert_true(text_reclean(once, sizeof(once), "x\\n\n\x1b", 5));
	assert_string_equal(once, "x\\n\\n\\033");
}

static void test_cut_between_characters(void **state)
{
	char out[8];

	(void)state;
	/* "ab" + 学 (3 bytes) + 校 (3 bytes) = 8 bytes: 校 does not fit in 7 */
	assert_false(text_clean(out, sizeof(out), "ab\xe5\xad\xa6\xe6\xa0\xa1", 8));
	assert_string_equal(out, "ab\xe5\xad\xa6");
	/* an escape is never split: "abcd" + "\\n" needs 7 bytes, "\\033" does not fit after */
	assert_false(text_clean(out, sizeof(out), "abcd\n\x1b", 6));
	assert_string_equal(out, "abcd\\n");
	assert_false(text_clean(out, 1, "x", 1));
	assert_string_equal(out, "");
	assert_true(text_clean(out, sizeof(out), "", 0));
	assert_string_equal(out, "");
}

static void test_cut_length(void **state)
{
	const char *jp = "\xe5\xad\xa6\xe6\xa0\xa1"; /* 学校 */

	(void)state;
	assert_int_equal(text_cut_length(jp, 6, 63), 6);
	assert_int_equal(text_cut_length(jp, 6, 5), 3);
	assert_int_equal(text_cut_length(jp, 6, 2), 0);
	assert_int_equal(text_cut_length("ab\xff", 3, 3), 3); /* an invalid byte is its own unit */
	assert_int_equal(text_cut_length("abc", 3, 0), 0);
}

/* A 200-byte Japanese name in a 64-byte field: whole characters only, and still valid. */
static void test_long_japanese_name(void **state)
{
	char name[201], out[64];
	size_t len = 0;

	(void)state;
	while (len + 3 <= 200) {
		memcpy(name + len, "\xe6\x97\xa5", 3); /* 日 */
		len += 3;
	}
	name[len] = '\0';
	assert_false(text_clean(out, sizeof(out), name, len));
	assert_int_equal(strlen(out), 63);
	assert_int_equal(strlen(out) % 3, 0);
	assert_memory_equal(out, name, 63);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_visible_forms),
	    cmocka_unit_test(test_reclean_idempotent),
	    cmocka_unit_test(test_cut_between_characters),
	    cmocka_unit_test(test_cut_length),
	    cmocka_unit_test(test_long_japanese_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
