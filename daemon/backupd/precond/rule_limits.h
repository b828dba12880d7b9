/* SPDX-License-Identifier: ISC */
/* rule_limits: the values of the config keys the preconditions read ([Rules], overridable per
 * [Device UDID]), one slot per key of each precondition's entry (precondition.h). Types only:
 * config stores them, the judges read them. */
#ifndef BACKUPD_RULE_LIMITS_H
#define BACKUPD_RULE_LIMITS_H

#include <stdint.h>

#include "preconditions.h"

#define PRECOND_KEYS_MAX 2 /* config keys one precondition may read */
#define LIMIT_TEXT_MAX   24

enum limit_kind {
	LIMIT_NONE = 0, /* no key in this slot */
	LIMIT_VERSION,  /* a dotted iOS version, text ("" = unset) */
	LIMIT_AGE,      /* a time span, stored in seconds */
	LIMIT_SIZE,     /* a size ("5G"), stored in bytes */
};

/* One config key a precondition reads. */
struct precondition_key {
	const char *name;          /* "ICloudQuota": in [Rules], and per phone in [Device UDID] */
	enum limit_kind kind;      /* LIMIT_NONE ends the entry's keys */
	int64_t min, max;          /* numbers: bounds in the stored unit (seconds, bytes) */
	const char *default_value; /* as an admin would write it; NULL = unset */
	const char *metric;        /* a per-phone gauge of the value in effect; NULL = none */
	const char *metric_help;
};

union limit_value {
	int64_t number;
	char text[LIMIT_TEXT_MAX];
};

struct rule_limits {
	union limit_value value[PRECOND_COUNT][PRECOND_KEYS_MAX];
};

/* The value of key k of precondition ID: RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number */
#define RULE_LIMIT(limits, ID, k) ((limits).value[PRECOND_##ID][k])

#endif
