/* SPDX-License-Identifier: ISC */
/* rules: a pure function from what is known to one verdict per precondition, by the judges of
 * the precondition table (precond/precondition.h). No I/O. */
#ifndef BACKUPD_RULES_H
#define BACKUPD_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "facts.h"
#include "feed.h"
#include "ios_update.h"
#include "ioscat.h"
#include "judge.h"
#include "precondition.h"

/* feed may be NULL (no feed state yet): icloud_service is then unknown. ios may be NULL: no
 * catalog. */
void rules_evaluate(const struct device_facts *facts, const struct feed_state *feed,
                    const struct ios_rule_input *ios, const struct rule_limits *limits,
                    int64_t now_unix, struct verdict out[PRECOND_COUNT]);

/* The fleet-wide icloud_service verdict on its own (also one row of rules_evaluate). */
void rules_icloud_service(const struct feed_state *feed, int64_t now_unix, struct verdict *out);

/* The reason for an unreachable device in a few words ("not paired", "unresponsive"), as used
 * in "device not readable: <short>"; "" for PROBE_OK. */
const char *rules_probe_status_short(enum probe_status status);

#endif
