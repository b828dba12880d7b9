/* SPDX-License-Identifier: ISC */
/* Keeps the iOS catalog current: polls [IOS] CatalogURL with the status feed's poller (same
 * libcurl-on-the-loop machinery, time limits, conditional requests and back-off), parses
 * each new body, and keeps the last good catalog when a download or a parse fails. */
#ifndef BACKUPD_IOSCAT_POLL_H
#define BACKUPD_IOSCAT_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"
#include "ioscat.h"

struct event_base;
struct ioscat_poller;

/* A catalog is about 200 KB today; 8 MiB leaves room for growth and bounds a hostile one. */
#define IOSCAT_BODY_CAP (8 * 1024 * 1024)

struct ioscat_options {
	const char *url;     /* "" = off */
	int64_t interval_ms; /* between good polls */
	const char *ca_file; /* NULL or "" = the system's CA store (tests) */
};

/* Called on the loop with each new good catalog (NULL when switched off); it stays valid
 * until the next call or ioscat_poller_free. */
typedef void (*ioscat_changed_fn)(void *arg, const struct ios_catalog *catalog);

struct ioscat_poller *ioscat_poller_new(struct event_base *base, const struct ioscat_options *opts,
                                        ioscat_changed_fn changed, void *arg);
/* For SIGHUP; a new URL keeps the catalog until the new source answers. */
void ioscat_poller_reconfigure(struct ioscat_poller *poller, const struct ioscat_options *opts);
const struct ios_catalog *ioscat_poller_catalog(const struct ioscat_poller *poller);
/* Reachability of the source (have_good, unreachable, last_error, last_good_unix). */
const struct feed_state *ioscat_poller_state(const struct ioscat_poller *poller);
void ioscat_poller_free(struct ioscat_poller *poller);

#endif
