/* SPDX-License-Identifier: ISC */
/* What backupd keeps about a phone's USB port: where it is now, where it has been, and what
 * its charging looked like there. A plain value inside device_record (state file, control). */
#ifndef BACKUPD_SLOT_RECORD_H
#define BACKUPD_SLOT_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "port_path.h"

#define SLOT_VISITS       8 /* the last ports a phone was in */
#define SLOT_OBSERVATIONS 8 /* the last charging observations of a phone */

/* One stay of the phone in one port. */
struct slot_visit {
	char port_path[PORT_PATH_MAX];
	int64_t since_unix;
	int64_t until_unix; /* 0 = still there */
};

enum charge_seen {
	CHARGE_SEEN_OK = 1, /* charging, or full, or held by Optimised Battery Charging */
	CHARGE_SEEN_CANNOT, /* not on power, or on power and not charging below the hold */
};

/* One observation; repeats of the same port and state only move at_unix. */
struct charge_observation {
	char port_path[PORT_PATH_MAX];
	int32_t seen;       /* enum charge_seen */
	int32_t slot_told;  /* 1 = the slot-level journal entry was written on this one */
	int64_t since_unix; /* first of the run */
	int64_t at_unix;    /* last of the run */
};

struct slot_record {
	char port_path[PORT_PATH_MAX]; /* now; "" = not known (detached, or not found in sysfs) */
	int speed_mbps;                /* link speed now; 0 = not known */
	int n_visits;                  /* newest first */
	struct slot_visit visits[SLOT_VISITS];
	int n_observations; /* newest first */
	struct charge_observation observations[SLOT_OBSERVATIONS];
	int64_t off_cart_told_unix; /* OnCartHours: when "not on the cart" was told; 0 = not */
};

#endif
