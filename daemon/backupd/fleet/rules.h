/* SPDX-License-Identifier: ISC */
/* rules: a pure function from what is known to one verdict per precondition. No I/O. */
#ifndef BACKUPD_RULES_H
#define BACKUPD_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "facts.h"
#include "feed.h"
#include "ios_update.h"
#include "ioscat.h"
#include "preconditions.h"

/* What ios_current judges against besides MinimumIOS: the iOS catalog (NULL: none yet, or
 * switched off) and how long an update may wait ([IOS] UpdateGrace, ExploitedGrace).
 * update, when not NULL, is the catalog's judgement of this phone already worked out
 * (ios_judge_cache.h); NULL: the rule works it out itself, against the newest major when
 * newest_major ([IOS] Target=latest), else against the phone's own train. */
struct ios_rule_input {
	const struct ios_catalog *catalog;
	int64_t update_grace_s;
	int64_t exploited_grace_s;
	const struct ios_update *update;
	bool newest_major;
};

/* feed may be NULL (no feed state yet): icloud_service is then unknown. ios may be NULL: no
 * catalog. */
void rules_evaluate(const struct device_facts *facts, const struct feed_state *feed,
                    const struct ios_rule_input *ios, const struct rule_limits *limits,
                    int64_t now_unix, struct verdict out[PRECOND_COUNT]);

/* The fleet-wide icloud_service verdict on its own (also one row of rules_evaluate). */
void rules_icloud_service(const struct feed_state *feed, int64_t now_unix, struct verdict *out);

/* Compares dotted versions numerically: "17.5.1" vs "17.10"; <0, 0, >0. Missing components
 * count as 0 ("17" == "17.0"). Meant for texts version_text_valid() accepts. */
int rules_compare_versions(const char *a, const char *b);

/* The reason for an unreachable device in a few words ("not paired", "unresponsive"), as used
 * in "device not readable: <short>"; "" for PROBE_OK. */
const char *rules_probe_status_short(enum probe_status status);

#endif
