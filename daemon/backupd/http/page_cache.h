/* SPDX-License-Identifier: ISC */
/* page_cache: rendered pages kept per path while the fleet's generation holds, so that every
 * open live page polling the same cart shares one render per change instead of costing the
 * loop one render per poll, and shares one body in memory instead of one per reader.
 *
 * An entry is served while its generation is the fleet's and it is younger than
 * PAGE_CACHE_MAX_AGE_MS (a change some path forgot to count shows within that), and for
 * PAGE_CACHE_MIN_AGE_MS whatever changed (a burst of probe results costs a cart one render
 * per interval, not one per result). Bodies are counted from render until the last reader
 * has them sent; past PAGE_BYTES_MAX nothing new is rendered (the caller answers 503), the
 * pages' share of memory like the scrapes' budget (metrics_scrape.c). */
#ifndef BACKUPD_PAGE_CACHE_H
#define BACKUPD_PAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page_reply.h"

#define PAGE_CACHE_ENTRIES    16
#define PAGE_CACHE_MIN_AGE_MS 250
#define PAGE_CACHE_MAX_AGE_MS 2000
#define PAGE_BYTES_MAX        (64u << 20)

struct page_cache;
struct evbuffer;

/* One rendered reply, shared: read it, hand its body out with page_shared_add_body. */
struct page_shared {
	int status;
	const char *content_type;
	char etag[PAGE_ETAG_MAX];
	struct page_body *body;
};

struct page_cache *page_cache_new(void);
/* Bodies still being sent outlive the cache; they are freed when sent. */
void page_cache_free(struct page_cache *cache);
/* The reply cached for path, or NULL when there is none fresh enough (see above). */
const struct page_shared *page_cache_find(struct page_cache *cache, const char *path,
                                          uint64_t generation, int64_t now_ms);
/* Takes reply's rendered body (reply->body is left empty) and keeps it for path, in place of
 * the oldest entry when all are taken. */
const struct page_shared *page_cache_put(struct page_cache *cache, const char *path,
                                         uint64_t generation, int64_t now_ms,
                                         struct page_reply *reply);
/* Drops every entry no longer fresh (page_cache_find would not serve it): when bodies fill
 * PAGE_BYTES_MAX, renders nobody will be served again must not hold the budget. */
void page_cache_drop_stale(struct page_cache *cache, uint64_t generation, int64_t now_ms);
/* Whether rendered bodies not yet sent hold PAGE_BYTES_MAX or more. */
bool page_cache_full(const struct page_cache *cache);
/* Bytes of every body rendered and not yet freed (cached or being sent). */
size_t page_cache_bytes(const struct page_cache *cache);
/* Adds shared's body to buf by reference; released when buf has sent it. */
void page_shared_add_body(struct evbuffer *buf, const struct page_shared *shared);

#endif
