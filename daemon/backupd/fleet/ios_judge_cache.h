/* SPDX-License-Identifier: ISC */
/* Phones of one model on one iOS version are judged against the catalog once per catalog
 * change, not once per probe: the judgement (ios_update_judge) walks the model's releases and
 * writes the exploited CVE list, and a cart of 1000 phones holds a few dozen (model,
 * version) pairs. Entries are keyed by ProductType, ProductVersion and the catalog's
 * generation (the fleet counts catalog changes); a new generation, or a new [IOS] Target,
 * empties the cache. */
#ifndef BACKUPD_IOS_JUDGE_CACHE_H
#define BACKUPD_IOS_JUDGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ios_update.h"

/* More distinct pairs than this (a hostile fleet of made-up versions) start the cache anew. */
#define IOS_JUDGE_CACHE_MAX 256

struct ios_judge_cache;

struct ios_judge_cache *ios_judge_cache_new(void);
void ios_judge_cache_free(struct ios_judge_cache *cache);

/* The judgement of (product_type, version) against catalog, which generation names, and
 * newest_major (ios_update_judge); NULL when catalog is NULL or version is not a version.
 * Valid until the next call. */
const struct ios_update *ios_judge_cache_get(struct ios_judge_cache *cache,
                                             const struct ios_catalog *catalog, uint64_t generation,
                                             bool newest_major, const char *product_type,
                                             const char *version);

/* How many judgements the cache has worked out since it was made (tests, benchmarks). */
uint64_t ios_judge_cache_judged(const struct ios_judge_cache *cache);

#endif
