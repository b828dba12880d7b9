/* SPDX-License-Identifier: ISC */
/* backupd's configuration: /etc/backupd.conf, then drop-ins /etc/backupd.conf.d/NAME.conf. */
#ifndef BACKUPD_CONFIG_H
#define BACKUPD_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "facts.h"
#include "slot_config.h"

#define CONFIG_EXIT_INVALID 78 /* EX_CONFIG */

/* AutoPair=: how backupd pairs a phone that has no working record (see the README). */
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

/* Defaults for every field. */
void config_defaults(struct backupd_config *config);

/* Reads path (NULL or missing = defaults) and then, in strcmp order, every *.conf in
 * dropin_dir (NULL or missing = none; names starting with '.' are skipped). On success replaces
 * *config, freeing its devices: *config must hold defaults or an earlier load. On error returns
 * -1, leaves *config untouched, and writes "FILE:LINE: message" to err ("FILE: message" when
 * the file or directory itself cannot be read). */
int config_load(struct backupd_config *config, const char *path, const char *dropin_dir, char *err,
                size_t err_size);
/* The same, but a missing main file is an error: used when the file was named on the command
 * line, and on reload once a file was read (deleting it must not silently mean defaults).
 * Files that are not regular (a FIFO, a directory, a device) are refused by both, at once. */
int config_load_existing(struct backupd_config *config, const char *path, const char *dropin_dir,
                         char *err, size_t err_size);

void config_free(struct backupd_config *config);

/* The step config_load takes for the main file and for each drop-in, on text already open
 * (the fuzz target hands it an in-memory stream): parses file, called name in messages, into
 * *config, which holds defaults or the files before it. On error returns -1 with
 * "NAME:LINE: message" in err; *config may then be partly filled. */
int config_parse_file(struct backupd_config *config, FILE *file, const char *name, char *err,
                      size_t err_size);

/* The limits that apply to udid: fleet-wide, overridden by its [Device] section (UDIDs are
 * matched without regard to case). */
struct rule_limits config_limits_for(const struct backupd_config *config, const char *udid);

/* Parses "90s", "5min", "36h", "2d", "500ms", "1h 30min" (bare number = seconds) into
 * milliseconds. Both parsers return 0, or -1 with errno EINVAL (not that kind of value) or
 * ERANGE (too large for int64_t). */
int config_parse_timespan_ms(const char *text, int64_t *out_ms);
/* Parses "127.0.0.1:9816 [::1]:9816" (a whitespace-separated list; IPv6 in brackets). Returns
 * 0, or -1 with why ("expected ...") written; an empty text is an empty list. */
int config_parse_listen(const char *text, struct listen_list *out, char *why, size_t why_size);
/* Parses "5G", "5GB", "500M", "1T", "1024" (bytes; K/M/G/T are powers of 1000, KiB.. of 1024). */
int config_parse_size_bytes(const char *text, int64_t *out_bytes);

#endif
