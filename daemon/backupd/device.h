/* SPDX-License-Identifier: ISC */
/* What backupd keeps about one device: the fleet's record, the alert memory and the state
 * file all share this shape. */
#ifndef BACKUPD_DEVICE_H
#define BACKUPD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "preconditions.h"
#include "slot_record.h"

/* What the journal was last told about one precondition of one device. */
struct alert_memory {
	enum verdict_state announced;             /* UNKNOWN = nothing announced yet */
	enum probe_status announced_probe_status; /* reachable only: which failure was told */
	int64_t announced_at_unix;
	/* AlertRepeat: how often this failure was told the alert command again, and when last
	 * (0 = not yet). A new announcement starts both afresh. */
	int64_t repeats; /* 64 bits: no padding, the struct is compared whole */
	int64_t repeated_at_unix;
};

struct device_record {
	char udid[UDID_MAX];
	struct device_facts facts; /* last probe result (identity kept from the last good one) */
	struct verdict verdicts[PRECOND_COUNT];
	struct alert_memory alerts[PRECOND_COUNT];
	bool attached;
	bool restarting; /* a backupctl restart is under way (not kept in the state file) */
	int64_t first_seen_unix;
	int64_t last_seen_unix;     /* last time usbmuxd listed it */
	int64_t last_probe_ok_unix; /* when a probe last succeeded since start; 0 = not yet */
	struct slot_record slot;    /* its USB port now, before, and charging there */
};

#endif
