/* SPDX-License-Identifier: ISC */
/* metrics_values: what each per-device gauge of /metrics shows, one function a gauge. */
#ifndef BACKUPD_METRICS_VALUES_H
#define BACKUPD_METRICS_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "metrics_view.h"

/* False when the device gives no such value (then it has no sample); the value is
 * value / 10^decimals. */
typedef bool metrics_device_value_fn(const struct metrics_view *view,
                                     const struct device_record *rec, int64_t *value,
                                     int *decimals);

metrics_device_value_fn metrics_value_attached;
metrics_device_value_fn metrics_value_last_backup;
metrics_device_value_fn metrics_value_last_probe_ok;
metrics_device_value_fn metrics_value_battery;
metrics_device_value_fn metrics_value_external_power;
metrics_device_value_fn metrics_value_charging;
metrics_device_value_fn metrics_value_backup_size;

#endif
