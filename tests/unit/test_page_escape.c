/* SPDX-License-Identifier: ISC */
/* page_escape: every context's special characters, bytes that are not text, and the URL
 * segment round trip the router relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "page_escape.h"
#include "pages.h"

typedef void escape_fn(struct metrics_text *out, const char *raw);

static void expect(escape_fn *fn, const char *raw, const char *want)
{
	struct metrics_text out;
	metrics_text_init(&out, 8);
	fn(&out, raw);
	mt_bytes(&out, "", 1);
	assert_string_equal(out.data, want);
	metrics_text_free(&out);
}

static void test_html(void **state)
{
	(void)state;
	expect(html_text, "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;");
	expect(html_attr, "a\" onmouseover='x' & b", "a&quot; onmouseover=&#39;x&#39; &amp; b");
	expect(html_text, "日本語", "日本語");
	/* invalid UTF-8, a control, a C1 control: U+FFFD each; tab and newline stay */
	expect(html_text,
	       "a\xff"
	       "b\x01"
	       "c\xc2\x85"
	       "d\te\n",
	       "a\xEF\xBF\xBD"
	       "b\xEF\xBF\xBD"
	       "c\xEF\xBF\xBD"
	       "d\te\n");
	expect(html_text, "\xe6\x97", "\xEF\xBF\xBD\xEF\xBF\xBD"); /* a cut character */
}

static void test_url_and_json(void **state)
{
	(void)state;
	expect(url_segment, "Cart 3/\"x\"?#&", "Cart%203%2F%22x%22%3F%23%26");
	expect(url_segment, "A-z_0.9~", "A-z_0.9~");
	expect(json_quote, "<b>\"q\\\n", "\"\\u003Cb\\u003E\\\"q\\\\\\n\"");
	expect(json_quote, "x\x1fy", "\"x\\ufffdy\"");
	char *back = url_segment_decode("Cart%203%E6%97%A5");
	assert_string_equal(back, "Cart 3\xE6\x97\xA5");
	free(back);
	assert_null(url_segment_decode("a%2Fb")); /* no '/' inside a segment */
	assert_null(url_segment_decode("a%00b")); /* no NUL */
	assert_null(url_segment_decode("a%zzb")); /* a bad escape */
	assert_null(url_segment_decode("a%ffb")); /* not UTF-8 once decoded */
	assert_null(url_segment_decode("a%4"));   /* cut short */
}

static void canonical(const char *path, const char *want)
{
	struct metrics_text out;
	metrics_text_init(&out, 8);
	pages_canonical_path(path, &out);
	assert_string_equal(out.data, want);
	metrics_text_free(&out);
}

/* One key per page for the render cache, however the request spells it. */
static void test_canonical_path(void **state)
{
	(void)state;
	canonical("/cart/%42ig", "/cart/Big");
	canonical("/live/cart/B%69g", "/live/cart/Big");
	canonical("/cart/Cart 3", "/cart/Cart%203");
	canonical("/phone/%30%30008030", "/phone/00008030");
	canonical("/", "/");
	canonical("/nope/%41", "/nope/%41");     /* no page: as is (a 404, never cached) */
	canonical("/cart/a%2Fb", "/cart/a%2Fb"); /* a bad segment: as is */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_url_and_json),
	    cmocka_unit_test(test_canonical_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
