/* SPDX-License-Identifier: ISC */
/* What one probe learned about one device: a plain value, copied between the probe helper
 * process and the event loop as raw bytes, so it holds no pointers. */
#ifndef BACKUPD_FACTS_H
#define BACKUPD_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#define UDID_MAX 64

/* Plausible values. The helper reads a device value outside them as "not readable"; the daemon
 * takes a helper's reply with one outside them as a protocol error. */
#define FACTS_DATE_MIN_UNIX 978307200LL        /* 2001-01-01 UTC, Apple's epoch */
#define FACTS_DATE_MAX_UNIX 32503680000LL      /* 3000-01-01 UTC */
#define FACTS_BYTES_MAX     (INT64_C(1) << 53) /* 8 PiB */

/* How far a probe got. Each non-OK value is a distinct state with its own advice. */
enum probe_status {
	PROBE_NOT_YET = 0,       /* attached, no probe finished yet */
	PROBE_OK,                /* lockdownd session opened, values read */
	PROBE_NOT_PAIRED,        /* no pair record / InvalidHostID: needs "Trust" */
	PROBE_TRUST_PENDING,     /* "Trust this computer?" is on screen */
	PROBE_PAIRING_DENIED,    /* the user tapped "Don't Trust" */
	PROBE_LOCKED_SINCE_BOOT, /* restarted and not unlocked since (PasswordProtected) */
	PROBE_UNRESPONSIVE,      /* no answer within ProbeTimeout */
	PROBE_VANISHED,          /* gone from usbmuxd or connection dropped mid-probe */
	PROBE_PROTOCOL_ERROR,    /* garbage, unexpected reply, library failure or crash */
	PROBE_STATUS_COUNT
};

/* A value the device may withhold: unknown is never guessed into yes or no. */
enum tristate { TRI_UNKNOWN = 0, TRI_NO, TRI_YES };

struct device_facts {
	char udid[UDID_MAX];
	enum probe_status status;
	char error[160]; /* human-readable detail when status != PROBE_OK */

	/* identity, root domain */
	char name[64];
	char product_type[32];
	char product_version[24];
	char build_version[24];
	char serial[32];

	enum tristate password_protected; /* yes = screen locked now */
	/* This host has a pair record the phone answered InvalidHostID to (expired after 30 days
	 * away, or trust reset); set only by probes that do not ask to pair (PROBE_FLAG_NO_PAIR).
	 */
	bool record_rejected;
	/* The phone answered Pair with MCProtected: supervised, and pairing with hosts that lack
	 * its organisation's identity is off. */
	bool pairing_prohibited;

	/* com.apple.mobile.backup */
	enum tristate backup_enabled;
	bool has_last_backup;        /* false: the device says it never backed up */
	bool last_backup_unreadable; /* the device sent a value of a shape we cannot read */
	int64_t last_backup_unix;    /* 0 unless has_last_backup */

	/* com.apple.mobile.battery */
	enum tristate external_connected;
	enum tristate battery_charging;
	enum tristate fully_charged;
	int battery_percent; /* -1 when unknown */

	/* diagnostics_relay IORegistry */
	enum tristate wifi_associated;
	char wifi_ssid[64];

	/* com.apple.disk_usage, bytes; -1 when unknown */
	int64_t total_data_capacity;
	int64_t total_data_available;

	int64_t probed_at_unix; /* wall clock when the probe finished */
	uint32_t probe_ms;      /* how long the probe took */
};

void facts_init(struct device_facts *facts, const char *udid);
const char *probe_status_name(enum probe_status status);

#endif
