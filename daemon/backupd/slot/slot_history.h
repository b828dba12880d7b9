/* SPDX-License-Identifier: ISC */
/* slot_history: the changes to a phone's slot_record as it is plugged, unplugged, found in a
 * port and judged on power. Pure: the caller passes the time. */
#ifndef BACKUPD_SLOT_HISTORY_H
#define BACKUPD_SLOT_HISTORY_H

#include "preconditions.h"
#include "slot_record.h"

/* The phone was found in port_path: its current port, and a visit when it is a new stay. */
void slot_history_found(struct slot_record *rec, const char *port_path, int speed_mbps,
                        int64_t now_unix);
/* The phone left: the open visit ends, the current port is forgotten. */
void slot_history_detached(struct slot_record *rec, int64_t now_unix);
/* The power verdict of a probe in the current port, as a charging observation (unknown
 * verdicts and an unknown port are none). Returns 1 when a new observation began. */
int slot_history_observe(struct slot_record *rec, enum verdict_state power, int64_t now_unix);
/* The last port the phone was in ("" = never known) and when it left it (0 = still there). */
const struct slot_visit *slot_history_last_visit(const struct slot_record *rec);

#endif
