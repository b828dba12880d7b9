/* SPDX-License-Identifier: ISC */
/* metrics_render: the /metrics body in the Prometheus text format 0.0.4, built afresh from
 * the fleet's in-memory state at each scrape (no device, no file but /proc/self, no wait).
 * Every metric's name, type and help text is one row of the table in metrics_render.c. */
#ifndef BACKUPD_METRICS_RENDER_H
#define BACKUPD_METRICS_RENDER_H

#include "config.h"
#include "metrics_text.h"
#include "metrics_view.h"

/* Appends the whole body to out. */
void metrics_render(const struct metrics_view *view, struct metrics_text *out);

#endif
