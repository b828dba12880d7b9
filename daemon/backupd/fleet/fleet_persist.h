/* SPDX-License-Identifier: ISC */
/* fleet_persist: the fleet's devices and fleet-wide alert memory across restarts, between the
 * table (fleet_table.h) and the state file (persist.h). */
#ifndef BACKUPD_FLEET_PERSIST_H
#define BACKUPD_FLEET_PERSIST_H

#include "alert.h"
#include "config.h"
#include "fleet_table.h"
#include "persist.h"

/* Adds the devices of the state file in dir that table does not hold yet, detached, and reads
 * the fleet-wide alert memory into alerts. */
void fleet_persist_load(struct fleet_table *table, const char *dir, struct fleet_alerts *alerts);
/* Saves table and alerts when persist has something to save. */
void fleet_persist_save(struct fleet_table *table, struct persist *persist,
                        const struct backupd_config *config, const struct fleet_alerts *alerts);

#endif
