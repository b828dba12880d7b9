/* metrics_render: the /metrics body in the Prometheus text format 0.0.4, built afresh from
 * the fleet's in-memory state at each scrape (no device, no file but /proc/self, no wait).
 * Every metric's name, type and help text is one row of the table in metrics_render.c. */
#ifndef BACKUPD_METRICS_RENDER_H
#define BACKUPD_METRICS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "device.h"
#include "feed.h"
#include "metrics_text.h"
#include "probe_stats.h"

struct fleet;

/* What one scrape shows; the pointers stay valid while metrics_render runs. */
struct metrics_view {
	const struct device_record *const *records;
	size_t n_records;
	const struct backupd_config *config; /* quotas; whether the status feed is on */
	const struct feed_state *feed;       /* NULL until the first poll finished */
	const struct verdict *service;       /* Apple's iCloud Backup service */
	bool usbmuxd_up;
	const struct probe_stats *probes;
};

void metrics_view_of(struct fleet *fleet, const struct backupd_config *config,
                     struct metrics_view *out);

/* Appends the whole body to out. */
void metrics_render(const struct metrics_view *view, struct metrics_text *out);

#endif
