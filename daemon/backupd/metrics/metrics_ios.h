/* SPDX-License-Identifier: ISC */
/* metrics_ios: the iOS catalog's families of /metrics (their names and help are rows of
 * metrics_render.c's table): the catalog's health, each phone's update as an info series,
 * and what each phone is exposed to. */
#ifndef BACKUPD_METRICS_IOS_H
#define BACKUPD_METRICS_IOS_H

#include "metrics_series.h"

render_fn metrics_render_ios_catalog_up;
render_fn metrics_render_ios_catalog_last_success;
render_fn metrics_render_ios_catalog_releases;
render_fn metrics_render_ios_exploited_grace;
render_fn metrics_render_device_ios_update;

metrics_device_value_fn metrics_value_ios_exploited;
metrics_device_value_fn metrics_value_ios_behind_since;
metrics_device_value_fn metrics_value_ios_exploited_since;

#endif
