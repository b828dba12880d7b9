/* SPDX-License-Identifier: ISC */
/* Parses downloaded iOS catalogs on a thread of their own, and saves each good one to the
 * cache: a full catalog takes longer to parse than the loop may stall (docs/benchmarks.md),
 * and the cache's fsync blocks. One job at a time; a body handed over while another waits
 * replaces it (only the newest matters). Results come back on the loop. */
#ifndef BACKUPD_IOSCAT_WORKER_H
#define BACKUPD_IOSCAT_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "ioscat.h"

struct event_base;
struct ioscat_worker;

struct ioscat_parsed {
	uint64_t tag;                /* the submitter's, to tell a stale result */
	struct ios_catalog *catalog; /* NULL: refused, error says why; else the receiver's */
	char error[256];
	char cache_error[320]; /* the cache could not be written ("" when it was, or none) */
	int64_t parse_ms;      /* wall time of the parse on the thread */
};

/* Called on the loop with each result. */
typedef void (*ioscat_parsed_fn)(void *arg, struct ioscat_parsed *result);

/* Needs evthread_use_pthreads() before base was made (backupd's main does it). NULL when the
 * thread cannot start. */
struct ioscat_worker *ioscat_worker_new(struct event_base *base, ioscat_parsed_fn done, void *arg);

/* Takes body (malloc'ed, len bytes). cache_dir and url: where a good catalog is saved
 * (cache_dir "" = not saved). */
void ioscat_worker_submit(struct ioscat_worker *worker, uint64_t tag, char *body, size_t len,
                          const char *cache_dir, const char *url);

/* Waits for the job under way, drops what was not reported, stops the thread. */
void ioscat_worker_free(struct ioscat_worker *worker);

#endif
