/* SPDX-License-Identifier: ISC */
/* judge: what the judges of precond/ share to write a verdict. */
#ifndef BACKUPD_JUDGE_H
#define BACKUPD_JUDGE_H

#include "facts.h"
#include "preconditions.h"

/* Writes state and the printf-formatted reason; a reason too long is cut at a UTF-8
 * character boundary and ends in "...". */
__attribute__((format(printf, 3, 4))) void
set_verdict(struct verdict *out, enum verdict_state state, const char *fmt, ...);

/* One tri-state fact read straight into a verdict. */
void tristate_verdict(enum tristate value, struct verdict *out, const char *yes, const char *no,
                      const char *unknown);

/* The reason for an unreachable device in a few words ("not paired", "unresponsive"), as used
 * in "device not readable: <short>"; "" for PROBE_OK (reachable.c). */
const char *judge_probe_status_short(enum probe_status status);

/* Compares dotted versions numerically: "17.5.1" vs "17.10"; <0, 0, >0. Missing components
 * count as 0 ("17" == "17.0"). Meant for texts version_text_valid() accepts. */
int rules_compare_versions(const char *a, const char *b);

#endif
