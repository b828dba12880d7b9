/* SPDX-License-Identifier: ISC */
/* fleet_summary: the fleet in a few numbers and one line, computed from fleet.h alone. */
#ifndef BACKUPD_FLEET_SUMMARY_H
#define BACKUPD_FLEET_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "probe_start.h"

struct fleet;

struct fleet_summary {
	int devices; /* known, attached or not */
	int attached;
	int ready;     /* attached and ready (verdicts_readiness) */
	int not_ready; /* attached and something failing */
	int unknown;   /* attached and not (yet) known: not probed, unreachable, unreadable */
	bool usbmuxd_present;
};

/* Both rebuild the fleet's record view (fleet_records). */
void fleet_summary(struct fleet *fleet, struct fleet_summary *out);
/* "14 devices attached, 10 ready, 3 not ready, 1 unknown" (and usbmuxd's absence, and
 * helpers, the probe pool's health, when they cannot start) for STATUS= and logs. */
void fleet_summary_line(struct fleet *fleet, const struct probe_start_health *helpers, char *buf,
                        size_t size);

#endif
