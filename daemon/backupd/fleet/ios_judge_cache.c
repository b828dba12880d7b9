/* SPDX-License-Identifier: ISC */
/* The judgement cache (ios_judge_cache.h): an open-addressed table of (model, version) pairs
 * for one catalog generation. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ios_judge_cache.h"
#include "xmalloc.h"

#define SLOTS (2 * IOS_JUDGE_CACHE_MAX) /* a power of two, at most half full */

struct entry {
	bool used;
	char product_type[IOS_TYPE_TEXT];
	char version[IOS_VERSION_TEXT];
	struct ios_update update;
};

struct ios_judge_cache {
	uint64_t generation;
	bool newest_major;
	size_t n;
	uint64_t judged;
	struct entry slots[SLOTS];
};

struct ios_judge_cache *ios_judge_cache_new(void)
{
	return xcalloc(1, sizeof(struct ios_judge_cache));
}

void ios_judge_cache_free(struct ios_judge_cache *cache)
{
	free(cache);
}

uint64_t ios_judge_cache_judged(const struct ios_judge_cache *cache)
{
	return cache->judged;
}

static void clear(struct ios_judge_cache *cache, uint64_t generation, bool newest_major)
{
	cache->newest_major = newest_major;
	for (size_t i = 0; i < SLOTS; i++)
		cache->slots[i].used = false;
	cache->n = 0;
	cache->generation = generation;
}

/* FNV-1a over both keys. */
static size_t hash(const char *product_type, const char *version)
{
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = product_type; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (const char *p = version; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h & (SLOTS - 1);
}

static struct entry *find_slot(struct ios_judge_cache *cache, const char *product_type,
                               const char *version)
{
	size_t i = hash(product_type, version);
	while (cache->slots[i].used && (strcmp(cache->slots[i].product_type, product_type) != 0 ||
	                                strcmp(cache->slots[i].version, version) != 0))
		i = (i + 1) & (SLOTS - 1);
	return &cache->slots[i];
}

const struct ios_update *ios_judge_cache_get(struct ios_judge_cache *cache,
                                             const struct ios_catalog *catalog, uint64_t generation,
                                             bool newest_major, const char *product_type,
                                             const char *version)
{
	struct ios_version installed;
	if (!catalog || strlen(product_type) >= IOS_TYPE_TEXT ||
	    strlen(version) >= IOS_VERSION_TEXT || ios_version_parse(version, &installed) < 0)
		return NULL;
	if (generation != cache->generation || newest_major != cache->newest_major ||
	    cache->n >= IOS_JUDGE_CACHE_MAX)
		clear(cache, generation, newest_major);
	struct entry *e = find_slot(cache, product_type, version);
	if (!e->used) {
		e->used = true;
		strcpy(e->product_type, product_type);
		strcpy(e->version, version);
		ios_update_judge(catalog, product_type, &installed, newest_major, &e->update);
		cache->n++;
		cache->judged++;
	}
	return &e->update;
}
