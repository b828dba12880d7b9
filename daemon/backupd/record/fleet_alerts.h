/* SPDX-License-Identifier: ISC */
/* What the journal was last told about the fleet-wide conditions: kept beside the device
 * records in the state file, so a restart does not tell it again. alert.c decides it. */
#ifndef BACKUPD_FLEET_ALERTS_H
#define BACKUPD_FLEET_ALERTS_H

#include <stdbool.h>

#include "device.h"

/* Zero = nothing told. */
struct fleet_alerts {
	struct alert_memory icloud_service; /* Apple's iCloud Backup service */
	bool feed_unreachable_announced;
	bool usbmuxd_unavailable_announced;
};

#endif
