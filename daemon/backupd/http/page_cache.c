/* SPDX-License-Identifier: ISC */
/* page_cache: renders shared per path and fleet generation; see page_cache.h. */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "page_cache.h"
#include "xmalloc.h"

/* Bytes of bodies alive. Shared with the bodies' cleanup, which may run after the cache is
 * gone (bufferevents are freed by deferred finalizers). */
struct page_budget {
	size_t bytes;
	unsigned users; /* the cache and every body alive */
};

struct page_body {
	char *data;
	size_t length;
	unsigned refs; /* the cache's entry and every reader not yet sent */
	struct page_budget *budget;
};

struct page_entry {
	char *path; /* NULL: free */
	uint64_t generation;
	int64_t rendered_ms;
	struct page_shared shared;
};

struct page_cache {
	struct page_entry entries[PAGE_CACHE_ENTRIES];
	struct page_budget *budget;
};

static void budget_leave(struct page_budget *budget)
{
	if (--budget->users == 0)
		free(budget);
}

static void body_release(struct page_body *body)
{
	if (--body->refs > 0)
		return;
	body->budget->bytes -= body->length;
	budget_leave(body->budget);
	free(body->data);
	free(body);
}

static void entry_clear(struct page_entry *entry)
{
	if (entry->path == NULL)
		return;
	free(entry->path);
	body_release(entry->shared.body);
	memset(entry, 0, sizeof(*entry));
}

struct page_cache *page_cache_new(void)
{
	struct page_cache *cache = xcalloc(1, sizeof(*cache));
	cache->budget = xcalloc(1, sizeof(*cache->budget));
	cache->budget->users = 1;
	return cache;
}

void page_cache_free(struct page_cache *cache)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++)
		entry_clear(&cache->entries[i]);
	budget_leave(cache->budget);
	free(cache);
}

static struct page_entry *entry_of(struct page_cache *cache, const char *path)
{
	for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (cache->entries[i].path && strcmp(cache->entries[i].path, path) == 0)
			return &cache->entries[i];
	return NULL;
}

static bool entry_fresh(const struct page_entry *entry, uint64_t generation, int64_t now_ms)
{
	int64_t age = now_ms - entry->rendered_ms;
	bool fresh = age < PAGE_CACHE_MIN_AGE_MS ||
	             (entry->generation == generation && age < PAGE_CACHE_MAX_AGE_MS);
	return fresh && age >= 0;
}

const struct page_shared *page_cache_find(struct page_cache *cache, const char *path,
                                          uint64_t generation, int64_t now_ms)
{
	struct page_entry *entry = entry_of(cache, path);
	return entry && entry_fresh(entry, generation, now_ms) ? &entry->shared : NULL;
}

void page_cache_drop_stale(struct page_cache *cache, uint64_t generation, int64_t now_ms)
{
	for (size_t i = 0; i < PAGE_CACHE_ENTRIES; i++)
		if (cache->entries[i].path && !entry_fresh(&cache->entries[i], generation, now_ms))
			entry_clear(&cache->entries[i]);
}

/* path's own entry, else a free one, else the one rendered longest ago. */
static struct page_entry *entry_for(struct page_cache *cache, const char *path)
{
	struct page_entry *entry = entry_of(cache, path), *oldest = &cache->entries[0];
	for (size_t i = 0; entry == NULL && i < PAGE_CACHE_ENTRIES; i++) {
		if (cache->entries[i].path == NULL)
			return &cache->entries[i];
		if (cache->entries[i].rendered_ms < oldest->rendered_ms)
			oldest = &cache->entries[i];
	}
	return entry ? entry : oldest;
}

const struct page_shared *page_cache_put(struct page_cache *cache, const char *path,
                                         uint64_t generation, int64_t now_ms,
                                         struct page_reply *reply)
{
	struct page_entry *entry = entry_for(cache, path);
	struct page_body *body = xcalloc(1, sizeof(*body));
	entry_clear(entry);
	body->data = metrics_text_take(&reply->body, &body->length);
	body->refs = 1;
	body->budget = cache->budget;
	cache->budget->bytes += body->length;
	cache->budget->users++;
	entry->path = xstrdup(path);
	entry->generation = generation;
	entry->rendered_ms = now_ms;
	entry->shared = (struct page_shared){reply->status, reply->content_type, "", body};
	memcpy(entry->shared.etag, reply->etag, sizeof(reply->etag));
	return &entry->shared;
}

bool page_cache_full(const struct page_cache *cache)
{
	return cache->budget->bytes >= PAGE_BYTES_MAX;
}

size_t page_cache_bytes(const struct page_cache *cache)
{
	return cache->budget->bytes;
}

static void body_sent(const void *data, size_t length, void *arg)
{
	(void)data, (void)length;
	body_release(arg);
}

void page_shared_add_body(struct evbuffer *buf, const struct page_shared *shared)
{
	struct page_body *body = shared->body;
	body->refs++;
	evbuffer_add_reference(buf, body->data, body->length, body_sent, body);
}
