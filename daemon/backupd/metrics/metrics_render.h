/* SPDX-License-Identifier: ISC */
/* metrics_render: the /metrics body in the Prometheus text format 0.0.4, built afresh from
 * the fleet's in-memory state at each scrape (no device, no file but /proc/self, no wait).
 * Every metric's name, type and help text is one row of the table in metrics_render.c. */
#ifndef BACKUPD_METRICS_RENDER_H
#define BACKUPD_METRICS_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "metrics_text.h"
#include "metrics_view.h"

/* A 1000-phone body takes some 2.5 ms to write: it is written in parts of about this long,
 * one per loop turn, so a scrape never holds the loop for the whole of it. No family is split
 * (the biggest, a 1000-phone backupd_device_precondition, takes about 0.5 ms). */
#define METRICS_RENDER_PART_US 500

/* Where a render stands between its parts; all zero before the first. */
struct metrics_render_cursor {
	size_t next_family; /* the next row of the families table to write */
	int64_t work_ns;    /* time spent in the parts so far */
};

/* Appends the next families to out, from where cursor stands, until budget_us has passed
 * (one family at least; the daemon gives METRICS_RENDER_PART_US), and says whether the body is
 * whole; not to be called again then. view may differ from part to part: each family shows
 * the fleet as it is when written, and nothing of an earlier part's view is kept. */
bool metrics_render_part(const struct metrics_view *view, struct metrics_text *out,
                         struct metrics_render_cursor *cursor, int64_t budget_us);

/* Appends the whole body to out, in one part. */
void metrics_render(const struct metrics_view *view, struct metrics_text *out);

#endif
