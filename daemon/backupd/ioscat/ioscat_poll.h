/* SPDX-License-Identifier: ISC */
/* Keeps the iOS catalog current: polls [IOS] CatalogURL with the status feed's poller (same
 * libcurl-on-the-loop machinery, time limits, conditional requests and back-off), parses
 * each new body on a worker thread (ioscat_worker.h), and keeps the last good catalog when a
 * download or a parse fails, in memory and in StateDirectory (ioscat_cache.h), so that a
 * restart starts from it. */
#ifndef BACKUPD_IOSCAT_POLL_H
#define BACKUPD_IOSCAT_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "ioscat.h"
#include "ioscat_parse.h"

struct event_base;
struct ioscat_poller;

#define IOSCAT_BODY_CAP IOSCAT_BODY_MAX

struct ioscat_options {
	const char *url;       /* "" = off */
	int64_t interval_ms;   /* between good polls */
	const char *ca_file;   /* NULL or "" = the system's CA store (tests) */
	const char *cache_dir; /* NULL or "" = no cache; else the last good catalog is kept there */
};

/* Called on the loop with each new good catalog (NULL when switched off); it stays valid
 * until the next call or ioscat_poller_free. ioscat_poller_new calls it once before it
 * returns when the cache holds a catalog of opts->url. */
typedef void (*ioscat_changed_fn)(void *arg, const struct ios_catalog *catalog);

/* The CA file to pin for url when [IOS] CatalogCA= is empty: Apple's root (shipped in
 * DATADIR/backupd) for gdmf.apple.com, whose chain ends there and which Debian's store lacks;
 * "" (the system's store) for any other source. */
const char *ioscat_default_ca(const char *url);

struct ioscat_poller *ioscat_poller_new(struct event_base *base, const struct ioscat_options *opts,
                                        ioscat_changed_fn changed, void *arg);
/* For SIGHUP; a new URL keeps the catalog until the new source answers. */
void ioscat_poller_reconfigure(struct ioscat_poller *poller, const struct ioscat_options *opts);
const struct ios_catalog *ioscat_poller_catalog(const struct ioscat_poller *poller);
/* Reachability of the source (have_good, unreachable, last_error, last_good_unix); a body
 * the parser refused counts as unreachable, with its reason as last_error. */
const struct feed_state *ioscat_poller_state(const struct ioscat_poller *poller);
void ioscat_poller_free(struct ioscat_poller *poller);

#endif
