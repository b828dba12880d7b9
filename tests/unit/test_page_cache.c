/* SPDX-License-Identifier: ISC */
/* page_cache.c: one render per path and fleet generation, shared by every reader (issue 22's
 * 50 live pages cost one render per change, not one per poll), its ages, its eviction, and
 * the bytes of bodies alive until the last reader has them sent (PAGE_BYTES_MAX). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "page_cache.h"

/* A rendered reply of length bytes of c, as pages_render leaves it. */
static void rendered(struct page_reply *reply, size_t length, char c)
{
	memset(reply, 0, sizeof(*reply));
	reply->status = 200;
	reply->content_type = "application/json";
	metrics_text_init(&reply->body, length);
	memset(reply->body.data, c, length);
	reply->body.length = length;
	snprintf(reply->etag, sizeof(reply->etag), "\"%c%zu\"", c, length);
}

static const struct page_shared *put(struct page_cache *cache, const char *path,
                                     uint64_t generation, int64_t now_ms, size_t length, char c)
{
	struct page_reply reply;
	rendered(&reply, length, c);
	const struct page_shared *shared = page_cache_put(cache, path, generation, now_ms, &reply);
	assert_null(reply.body.data); /* taken, not copied */
	page_reply_free(&reply);
	return shared;
}

static void test_one_render_per_generation(void **state)
{
	(void)state;
	struct page_cache *cache = page_cache_new();
	assert_null(page_cache_find(cache, "/live/cart/Big", 7, 1000));
	const struct page_shared *shared = put(cache, "/live/cart/Big", 7, 1000, 100, 'a');
	assert_string_equal(shared->etag, "\"a100\"");
	/* Every poll of the same generation gets the same reply: no render. */
	for (int64_t t = 1000; t < 1000 + PAGE_CACHE_MAX_AGE_MS; t += 100)
		assert_ptr_equal(page_cache_find(cache, "/live/cart/Big", 7, t), shared);
	/* Another path is another page. */
	assert_null(page_cache_find(cache, "/cart/Big", 7, 1100));
	/* A new generation: fresh for PAGE_CACHE_MIN_AGE_MS (a burst costs one render), then
	 * rendered again. */
	assert_ptr_equal(
	    page_cache_find(cache, "/live/cart/Big", 8, 1000 + PAGE_CACHE_MIN_AGE_MS - 1), shared);
	assert_null(page_cache_find(cache, "/live/cart/Big", 8, 1000 + PAGE_CACHE_MIN_AGE_MS));
	/* The same generation, but too old: a change nobody counted still shows. */
	assert_null(page_cache_find(cache, "/live/cart/Big", 7, 1000 + PAGE_CACHE_MAX_AGE_MS));
	/* A clock that went back trusts nothing. */
	assert_null(page_cache_find(cache, "/live/cart/Big", 7, 999));
	shared = put(cache, "/live/cart/Big", 8, 1300, 50, 'b');
	assert_ptr_equal(page_cache_find(cache, "/live/cart/Big", 8, 1400), shared);
	assert_int_equal(page_cache_bytes(cache), 50); /* the old body went with its entry */
	page_cache_free(cache);
}

static void test_oldest_entry_gives_way(void **state)
{
	(void)state;
	struct page_cache *cache = page_cache_new();
	char path[32];
	for (int i = 0; i < PAGE_CACHE_ENTRIES; i++) {
		snprintf(path, sizeof(path), "/phone/%d", i);
		put(cache, path, 1, 100 + i, 10, 'p');
	}
	put(cache, "/cart/Big", 1, 200, 10, 'c');
	assert_null(page_cache_find(cache, "/phone/0", 1, 200)); /* the oldest */
	assert_non_null(page_cache_find(cache, "/phone/1", 1, 200));
	assert_non_null(page_cache_find(cache, "/cart/Big", 1, 200));
	assert_int_equal(page_cache_bytes(cache), 10 * PAGE_CACHE_ENTRIES);
	page_cache_free(cache);
}

/* A body handed to readers stays counted, and alive, until the last has it sent, even after
 * its entry was replaced and the cache freed. */
static void test_bodies_counted_until_sent(void **state)
{
	(void)state;
	struct page_cache *cache = page_cache_new();
	const size_t big = PAGE_BYTES_MAX / 2;
	const struct page_shared *shared = put(cache, "/cart/Big", 1, 0, big, 'x');
	struct evbuffer *readers[2] = {evbuffer_new(), evbuffer_new()};
	for (int i = 0; i < 2; i++)
		page_shared_add_body(readers[i], shared);
	assert_int_equal(evbuffer_get_length(readers[0]), big);
	assert_false(page_cache_full(cache));
	put(cache, "/cart/Big", 2, 3000, big, 'y'); /* the first body now lives in its readers */
	assert_int_equal(page_cache_bytes(cache), 2 * big);
	assert_true(page_cache_full(cache));
	evbuffer_free(readers[0]);
	assert_int_equal(page_cache_bytes(cache), 2 * big);
	evbuffer_free(readers[1]); /* sent: freed */
	assert_int_equal(page_cache_bytes(cache), big);
	assert_false(page_cache_full(cache));
	/* A reader still sending when the cache goes: its body stays valid until sent (ASan
	 * would see a use after free, LSan a leak). */
	struct evbuffer *late = evbuffer_new();
	page_shared_add_body(late, page_cache_find(cache, "/cart/Big", 2, 3000));
	page_cache_free(cache);
	char c;
	assert_int_equal(evbuffer_copyout(late, &c, 1), 1);
	assert_int_equal(c, 'y');
	evbuffer_free(late);
}

/* Bodies held only by entries nobody will be served again give way before a page answers 503. */
static void test_stale_entries_dropped(void **state)
{
	(void)state;
	struct page_cache *cache = page_cache_new();
	const size_t big = PAGE_BYTES_MAX / 2;
	put(cache, "/cart/A", 1, 0, big, 'a');
	put(cache, "/cart/B", 1, 100, big, 'b');
	assert_true(page_cache_full(cache));
	page_cache_drop_stale(cache, 1, 200); /* both fresh: kept */
	assert_int_equal(page_cache_bytes(cache), 2 * big);
	page_cache_drop_stale(cache, 2, 300); /* A is past the minimum age of a new generation */
	assert_int_equal(page_cache_bytes(cache), big);
	assert_null(page_cache_find(cache, "/cart/A", 2, 300));
	assert_non_null(page_cache_find(cache, "/cart/B", 2, 300));
	assert_false(page_cache_full(cache));
	page_cache_free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_render_per_generation),
	    cmocka_unit_test(test_oldest_entry_gives_way),
	    cmocka_unit_test(test_bodies_counted_until_sent),
	    cmocka_unit_test(test_stale_entries_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
