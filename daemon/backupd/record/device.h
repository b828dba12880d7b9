/* SPDX-License-Identifier: ISC */
/* What backupd keeps about one device: the fleet's record, the alert memory and the state
 * file all share this shape. */
#ifndef BACKUPD_DEVICE_H
#define BACKUPD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "action_names.h"
#include "facts.h"
#include "ios_update.h"
#include "pair_state.h"
#include "preconditions.h"
#include "slot_record.h"

/* What backupd did or means to do to one phone by itself (action_auto.h), per action. */
struct auto_memory {
	/* The day it was last done (action_auto.c's count), 0 = never; kept in the state file so
	 * "once a day" outlives a restart of backupd. */
	int64_t day[ACTION_KIND_COUNT];
	/* Since when (clock_elapsed_s) the phone has wanted it without a break, 0 = it does not;
	 * not kept: after a restart of backupd a phone must be seen wanting it afresh. */
	int64_t wanted_since_s[ACTION_KIND_COUNT];
};

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

/* Pairing as backupd last saw or did it (not kept in the state file: a restart looks again). */
struct pair_memory {
	enum pair_state state;
	char reason[256];   /* the phone's or helper's words for the last outcome */
	bool auto_pairs;    /* AutoPair= pairs this phone by itself (the next step differs) */
	int64_t since_unix; /* when the state began */
	int64_t tried_s;    /* clock_elapsed_s of backupd's last pairing try, 0 = none */
};

struct device_record {
	char udid[UDID_MAX];
	struct device_facts facts; /* last probe result (identity kept from the last good one) */
	struct verdict verdicts[PRECOND_COUNT];
	struct alert_memory alerts[PRECOND_COUNT];
	bool attached;
	bool restarting; /* a backupctl restart is under way (not kept in the state file) */
	int64_t first_seen_unix;
	int64_t last_seen_unix;       /* last time usbmuxd listed it */
	int64_t last_probe_ok_unix;   /* when a probe last succeeded since start; 0 = not yet */
	struct slot_record slot;      /* its USB port now, before, and charging there */
	struct auto_memory automatic; /* AutoEnableBackup=, AutoRestart= */
	struct pair_memory pairing;   /* backupctl pair, AutoPair= */
	struct ios_update ios;        /* the iOS catalog's word on its version (not kept) */
};

#endif
