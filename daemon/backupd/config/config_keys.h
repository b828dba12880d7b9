/* SPDX-License-Identifier: ISC */
/* Internal to the config parser: the sections and keys of backupd.conf, and how a value of each
 * key is checked and stored. config.c reads files and lines; this knows what they may say. */
#ifndef BACKUPD_CONFIG_KEYS_H
#define BACKUPD_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "config_types.h"

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


/* Defaults for every field (the key table holds them). */
void config_defaults(struct backupd_config *config);

const char *config_section_name(enum config_section section);
/* "[Probe], [Rules], ... or [Slot PORTPATH]": every section, from the one table. */
void config_sections_list(char *buf, size_t size);
/* The section a header names ("Probe"); SECTION_NONE when none (Device is handled apart). */
enum config_section config_section_by_name(const char *name);

/* Copies the row of key name to out; false when there is none. */
bool config_key_find(const char *name, struct config_key *out);
enum config_section config_key_section(const struct config_key *key);
bool config_key_allowed_in(const struct config_key *key, enum config_section section);
/* "PollInterval, ProbeTimeout, Workers": the keys a section accepts. */
void config_keys_of(enum config_section section, char *buf, size_t size);

/* Checks value and stores it in config, or in device's override when device is not NULL; an
 * empty value resets the key. On error returns -1 and writes why ("expected ...") to why. */
int config_key_apply(const struct config_key *key, const char *value, struct backupd_config *config,
                     struct device_override *device, char *why, size_t why_size);

/* Checks value against key and stores it at field; -1 with why written when refused. */
int config_key_store(const struct config_key *key, const char *value, void *field, char *why,
                     size_t why_size);
/* Stores key's default at base + key->offset (zero when it has none). */
void config_key_store_default(const struct config_key *key, char *base);

#endif
