/* SPDX-License-Identifier: ISC */
/* state_snapshot: a copy of what one save writes, taken on the loop (a memcpy per record) so
 * that the JSON can be built on the state writer's thread. Building it on the loop took
 * about a second of CPU at 10,000 remembered phones (tests/bench/remembered.sh). */
#ifndef BACKUPD_STATE_SNAPSHOT_H
#define BACKUPD_STATE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "fleet_alerts.h"

struct state_snapshot;

/* Copies the records the state file keeps (attached, or last seen within retention_s) and
 * the fleet-wide alert memory (may be NULL). */
struct state_snapshot *state_snapshot_take(struct device_record *const *recs, size_t n,
                                           const struct fleet_alerts *alerts, int64_t now_unix,
                                           int64_t retention_s);
/* The state file's text (malloc'ed), NULL when out of memory. Any thread. */
char *state_snapshot_serialize(const struct state_snapshot *snapshot);
void state_snapshot_free(struct state_snapshot *snapshot);

#endif
