/* SPDX-License-Identifier: ISC */
/* Apple System Status feed: what it says about the iCloud Backup service. */
#ifndef BACKUPD_FEED_H
#define BACKUPD_FEED_H

#include <stdbool.h>
#include <stdint.h>

#define FEED_EVENTS_MAX 4

struct feed_event {
	char status_type[32];  /* Outage, Issue, Performance, Maintenance, or unknown text */
	char event_status[32]; /* ongoing, upcoming, ... */
	char message[512];
	int64_t start_unix; /* 0 when the feed gave none */
	int64_t end_unix;   /* 0 while ongoing or unknown */
};

struct feed_state {
	bool have_good;         /* at least one feed was parsed since start */
	int64_t last_good_unix; /* when the last good feed arrived */
	int n_active;           /* ongoing events on iCloud Backup */
	struct feed_event active[FEED_EVENTS_MAX];
	int n_upcoming; /* upcoming maintenance on iCloud Backup */
	struct feed_event upcoming[FEED_EVENTS_MAX];

	bool unreachable;          /* the last poll failed */
	int64_t unreachable_since; /* first failure of the current run of failures */
	char last_error[256];
};

#endif
