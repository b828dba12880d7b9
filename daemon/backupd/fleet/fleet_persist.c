/* SPDX-License-Identifier: ISC */
/* Loading the state file into the fleet's table, and saving the table. */
#include <stdlib.h>

#include "clock.h"
#include "fleet_persist.h"
#include "slot_history.h"

void fleet_persist_load(struct fleet_table *table, const char *dir, struct fleet_alerts *alerts)
{
	struct device_record *records;
	size_t n = persist_load(dir, &records, alerts);
	for (size_t i = 0; i < n; i++) {
		if (fleet_table_find(table, records[i].udid))
			continue;
		struct fleet_device *dev = fleet_table_add(table, records[i].udid);
		dev->rec = records[i];
		dev->rec.attached = false;
		slot_history_detached(&dev->rec.slot, dev->rec.last_seen_unix);
	}
	free(records);
}

void fleet_persist_save(struct fleet_table *table, struct persist *persist,
                        const struct backupd_config *config, const struct fleet_alerts *alerts)
{
	if (!persist_dirty(persist))
		return;
	size_t n;
	int64_t now = clock_wall_unix();
	struct device_record **records = fleet_table_records(table, &n);
	/* An attached phone is seen now: after a restart, ForgetAfter counts from here. */
	for (size_t i = 0; i < n; i++)
		if (records[i]->attached)
			records[i]->last_seen_unix = now;
	persist_save(persist, config->state_directory, records, n, alerts, now,
	             config->forget_after_s);
}
