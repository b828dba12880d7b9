/* SPDX-License-Identifier: ISC */
/* config_types: what backupd's configuration holds, as the readers (config.c), the key table
 * (config_keys.c) and every user of a setting see it. Types only, so that the key table and
 * the reader need not include each other. */
#ifndef BACKUPD_CONFIG_TYPES_H
#define BACKUPD_CONFIG_TYPES_H

#include <stdint.h>

#include "facts.h"
#include "slot_config.h"

#define CONFIG_EXIT_INVALID 78 /* EX_CONFIG */

/* AutoPair=: how backupd pairs a phone that has no working record (docs/pairing.md). */
enum auto_pair {
	AUTO_PAIR_SUPERVISED, /* with the supervision identity, no dialog; without one as trust */
	AUTO_PAIR_TRUST,      /* ask the phone to show Trust (the probes' Pair request) */
	AUTO_PAIR_NO,         /* report only; backupctl pair pairs */
};
extern const char *const auto_pair_words[4];

/* The values the rules read; per-device sections override the fleet-wide ones. */
struct rule_limits {
	char minimum_ios[24];       /* "" = not checked */
	int64_t max_backup_age_s;   /* default 36 h */
	int64_t icloud_quota_bytes; /* default 5 GB */
};

struct device_override {
	char udid[UDID_MAX];
	unsigned set_mask; /* which fields of limits were given: RULE_LIMIT_* bits */
	struct rule_limits limits;
};

enum {
	RULE_LIMIT_MINIMUM_IOS = 1u << 0,
	RULE_LIMIT_MAX_BACKUP_AGE = 1u << 1,
	RULE_LIMIT_ICLOUD_QUOTA = 1u << 2,
};

#define LISTEN_MAX      8  /* addresses in one Listen= list */
#define LISTEN_HOST_MAX 46 /* INET6_ADDRSTRLEN */

/* One ADDRESS:PORT of [HTTP] Listen=: a numeric IPv4 or IPv6 address (no names: binding
 * must not wait on DNS). */
struct listen_address {
	int family; /* AF_INET or AF_INET6 */
	char host[LISTEN_HOST_MAX];
	uint16_t port;
};

struct listen_list {
	int n; /* 0 = off */
	struct listen_address addresses[LISTEN_MAX];
};

struct backupd_config {
	/* [Probe] */
	int64_t poll_interval_ms; /* PollInterval, default 5 min */
	int64_t probe_timeout_ms; /* ProbeTimeout, default 10 s */
	int workers;              /* Workers, default 16 */
	/* [Rules] */
	struct rule_limits limits; /* MinimumIOS, MaxBackupAge, ICloudQuota */
	char on_cart_hours[16];    /* OnCartHours "18:00-07:00", "" = not checked */
	/* [Alerts] */
	int64_t alert_holdoff_ms;         /* AlertHoldoff, default 1 h */
	char alert_command[256];          /* AlertCommand, "" = none */
	int64_t alert_command_timeout_ms; /* AlertCommandTimeout */
	int alert_command_queue;          /* AlertCommandQueue: events waiting, at most */
	int alert_command_jobs;           /* AlertCommandJobs: commands running at once */
	int alert_repeat;                 /* AlertRepeat: enum hook_repeat_policy */
	/* [StatusFeed] */
	char status_feed_url[512];          /* StatusFeedURL */
	int64_t status_feed_interval_ms;    /* StatusFeedInterval, default 5 min */
	int64_t status_feed_alert_after_ms; /* UnreachableAlertAfter, default 1 h */
	/* [IOS] */
	char ios_catalog_url[512];       /* CatalogURL, default SOFA's iOS feed; "" = off */
	int64_t ios_catalog_interval_ms; /* CatalogInterval, default 1 h */
	int64_t ios_update_grace_s;      /* UpdateGrace, default 14 d */
	int64_t ios_exploited_grace_s;   /* ExploitedGrace, default 2 d */
	char ios_catalog_ca[256]; /* CatalogCA: PEM CA file pinned, "" = by URL (ioscat_ca) */
	/* [Daemon] */
	char state_directory[256]; /* StateDirectory, default /var/lib/backupd */
	char control_socket[108];  /* ControlSocket, default /run/backupd/control */
	char control_group[64];    /* ControlGroup, default backupd */
	int64_t forget_after_s;    /* ForgetAfter, default 28 d: detached phones are let go */
	int max_remembered;        /* MaxRemembered, default 10000: beyond it, oldest detached go */
	char sysfs_root[256];      /* SysfsRoot, default /sys (tests and containers) */
	/* [HTTP] (/metrics and the cart pages; [Metrics] is its old name, still read) */
	struct listen_list metrics_listen;  /* Listen, default 127.0.0.1:9816; empty = off */
	int metrics_max_connections;        /* MaxConnections, default 32 */
	int64_t metrics_request_timeout_ms; /* RequestTimeout, default 10 s */
	int http_columns;                   /* Columns: slots in a row of a cart page, 0 = fit */
	/* [Actions] */
	unsigned actions_allowed;   /* Allow: bit per enum action_kind, default none */
	char action_group[64];      /* ActionGroup, "" = root only */
	int64_t restart_timeout_ms; /* RestartTimeout, default 3 min */
	int auto_enable_backup;     /* AutoEnableBackup: 0 no (default), 1 yes */
	char auto_restart[24];      /* AutoRestart "stale 02:00-05:00", "" or "no" = off */
	int auto_restart_max;       /* AutoRestartMax, default 2: phones restarting at once */
	/* [Pairing] */
	char supervision_identity[256];      /* SupervisionIdentity: PKCS#12 or PEM, "" = none */
	char supervision_password_file[256]; /* SupervisionPasswordFile, "" = credential or none */
	int auto_pair;                       /* AutoPair: enum auto_pair, default supervised */
	/* [Device UDID] sections */
	int n_devices;
	struct device_override *devices; /* owned; config_free() releases */
	/* [Hub PORTPATH] and [Slot PORTPATH] sections */
	struct port_names port_names; /* owned; config_free() releases */
	/* "FILE:LINE: ..." of the first old spelling read ([Metrics]), for the caller to log;
	 * "" when none. The parser has no log of its own. */
	char deprecated[512];
};

#endif
