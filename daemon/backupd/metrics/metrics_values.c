/* SPDX-License-Identifier: ISC */
/* The per-device gauges' values. Live readings (power, storage) are exported only while a
 * phone is attached: a detached phone's are of the last time it was plugged in. */
#include "metrics_values.h"

bool metrics_value_attached(const struct metrics_view *view, const struct device_record *rec,
                            int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->attached;
	return true;
}

bool metrics_value_last_backup(const struct metrics_view *view, const struct device_record *rec,
                               int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->facts.last_backup_unix;
	return rec->facts.has_last_backup;
}

bool metrics_value_last_probe_ok(const struct metrics_view *view, const struct device_record *rec,
                                 int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->last_probe_ok_unix;
	return rec->last_probe_ok_unix > 0;
}

/* What a phone shows now (power, storage) is exported only while it is attached. */
bool metrics_value_battery(const struct metrics_view *view, const struct device_record *rec,
                           int64_t *value, int *decimals)
{
	(void)view;
	int percent = rec->facts.battery_percent;
	*value = percent > 100 ? 100 : percent;
	*decimals = 2;
	return rec->attached && percent >= 0;
}

static bool tristate_value(const struct device_record *rec, enum tristate state, int64_t *value)
{
	*value = state == TRI_YES;
	return rec->attached && state != TRI_UNKNOWN;
}

bool metrics_value_external_power(const struct metrics_view *view, const struct device_record *rec,
                                  int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	return tristate_value(rec, rec->facts.external_connected, value);
}

bool metrics_value_charging(const struct metrics_view *view, const struct device_record *rec,
                            int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	return tristate_value(rec, rec->facts.battery_charging, value);
}

/* The icloud_storage rule's estimate: data on the phone (capacity less available). */
bool metrics_value_backup_size(const struct metrics_view *view, const struct device_record *rec,
                               int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	int64_t capacity = rec->facts.total_data_capacity;
	int64_t available = rec->facts.total_data_available;
	*value = capacity - available;
	return rec->attached && capacity >= 0 && available >= 0 && available <= capacity;
}
