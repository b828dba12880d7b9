/* SPDX-License-Identifier: ISC */
/* metrics_precond: the families of /metrics that the precondition table declares: the fix of
 * each precondition (for the alert rules' annotations) and a per-phone gauge of each rule
 * limit that names a metric (its name and help are in the entry). */
#ifndef BACKUPD_METRICS_PRECOND_H
#define BACKUPD_METRICS_PRECOND_H

#include "metrics_series.h"

render_fn metrics_render_precondition_info;
/* Writes every limit family itself: its row in metrics_render.c has no name. */
render_fn metrics_render_precondition_limits;

#endif
