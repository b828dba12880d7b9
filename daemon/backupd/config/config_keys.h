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

struct config_key;

/* Defaults for every field (the key table holds them). */
void config_defaults(struct backupd_config *config);

const char *config_section_name(enum config_section section);
/* "[Probe], [Rules], ... or [Slot PORTPATH]": every section, from the one table. */
void config_sections_list(char *buf, size_t size);
/* The section a header names ("Probe"); SECTION_NONE when none (Device is handled apart). */
enum config_section config_section_by_name(const char *name);

const struct config_key *config_key_find(const char *name);
enum config_section config_key_section(const struct config_key *key);
bool config_key_allowed_in(const struct config_key *key, enum config_section section);
/* "PollInterval, ProbeTimeout, Workers": the keys a section accepts. */
void config_keys_of(enum config_section section, char *buf, size_t size);

/* Checks value and stores it in config, or in device's override when device is not NULL; an
 * empty value resets the key. On error returns -1 and writes why ("expected ...") to why. */
int config_key_apply(const struct config_key *key, const char *value, struct backupd_config *config,
                     struct device_override *device, char *why, size_t why_size);

#endif
