/* SPDX-License-Identifier: ISC */
/* config_key_row: one row of the key table of backupd.conf (types only), shared by the table
 * (config_keys.c) and the rows the precondition table gives (config_limits.c). */
#ifndef BACKUPD_CONFIG_KEY_ROW_H
#define BACKUPD_CONFIG_KEY_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum config_section {
	SECTION_NONE = 0, /* before the first [Section] header */
	SECTION_PROBE,
	SECTION_RULES,
	SECTION_ALERTS,
	SECTION_STATUS_FEED,
	SECTION_DAEMON,
	SECTION_HTTP,
	SECTION_ACTIONS,
	SECTION_PAIRING,
	SECTION_IOS,
	SECTION_DEVICE, /* [Device UDID] */
	SECTION_HUB,    /* [Hub PORTPATH]: slot_config.c */
	SECTION_SLOT,   /* [Slot PORTPATH]: slot_config.c */
	SECTION_COUNT
};

#define MS_PER_S   1000LL
#define MS_PER_MIN (60 * MS_PER_S)
#define MS_PER_H   (60 * MS_PER_MIN)
#define MS_PER_D   (24 * MS_PER_H)

enum value_kind {
	KIND_TIMESPAN_MS,  /* stored as int64_t milliseconds */
	KIND_TIMESPAN_S,   /* stored as int64_t seconds */
	KIND_INT,          /* stored as int */
	KIND_SIZE,         /* stored as int64_t bytes */
	KIND_VERSION,      /* dotted iOS version, char[] */
	KIND_URL,          /* http(s) URL, char[] */
	KIND_PATH,         /* absolute path, char[] */
	KIND_GROUP,        /* group name, char[] */
	KIND_CHOICE,       /* one word of the key's choices, stored as its index (int) */
	KIND_LISTEN,       /* ADDRESS:PORT list, struct listen_list */
	KIND_WORDS,        /* words of the key's choices, stored as a bit per index (unsigned) */
	KIND_HOURS,        /* a daily window "18:00-07:00", char[] */
	KIND_AUTO_RESTART, /* "stale 02:00-05:00" or "no", char[] (daily_window.h) */
};

struct config_key {
	enum config_section section;
	const char *name;
	enum value_kind kind;
	size_t offset; /* in struct backupd_config; in struct rule_limits when limit */
	size_t size;
	int64_t min, max;          /* numbers: bounds in the stored unit (ms for both timespans) */
	bool limit;                /* a rule limit (config_limits.c), overridable per [Device] */
	bool empty_is_value;       /* an empty value is a setting, not a reset (StatusFeedURL) */
	const char *default_value; /* as an admin would write it; NULL = empty (not checked) */
};

#endif
