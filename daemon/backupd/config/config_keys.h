/* SPDX-License-Identifier: ISC */
/* Internal to the config parser: the sections and keys of backupd.conf, and how a value of each
 * key is checked and stored. config.c reads files and lines; this knows what they may say. */
#ifndef BACKUPD_CONFIG_KEYS_H
#define BACKUPD_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "config_key_row.h"
#include "config_types.h"

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
