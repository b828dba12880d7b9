/* SPDX-License-Identifier: ISC */
/* metrics_view: the state one scrape of /metrics shows, gathered before rendering. */
#ifndef BACKUPD_METRICS_VIEW_H
#define BACKUPD_METRICS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "device.h"
#include "feed.h"
#include "hook_runner.h"
#include "probe_stats.h"

/* What one scrape shows; the pointers stay valid while metrics_render runs. */
struct metrics_view {
	const struct device_record *const *records;
	size_t n_records;
	const struct backupd_config *config; /* quotas; whether the status feed is on */
	const struct feed_state *feed;       /* NULL until the first poll finished */
	const struct verdict *service;       /* Apple's iCloud Backup service */
	bool usbmuxd_up;
	const struct probe_stats *probes;
	struct hook_stats alert_command; /* zero when no alert command runs */
	uint64_t journal_dropped;
	/* The iOS catalog ([IOS] CatalogURL): its poller's state (NULL: off or not started)
	 * and how many releases the catalog in use holds (0: none yet). */
	const struct feed_state *ios_catalog;
	size_t ios_releases;
};

struct fleet;
struct probe_pool;

/* alert_command may be NULL (no runner). */
void metrics_view_of(struct fleet *fleet, const struct backupd_config *config,
                     const struct probe_pool *pool, const struct hook_runner *alert_command,
                     struct metrics_view *out);

#endif
