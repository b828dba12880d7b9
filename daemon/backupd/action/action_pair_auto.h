/* SPDX-License-Identifier: ISC */
/* AutoPair=: backupd pairs by itself each attached phone that has no working pair record,
 * with the supervision identity (no dialog), and keeps each phone's pairing state from what
 * the probes show (a record the phone rejects is "expired", announced once).
 *
 * Only where backupd pairs itself (AutoPair=supervised with an identity loaded): otherwise
 * the probes ask the phone to Pair as they always did (Trust), or, with AutoPair=no, report.
 * A phone that said Don't Trust, MCProtected or "not our supervisor" is tried again only
 * after it is plugged in again (or the identity changes); a locked one or one still showing
 * Trust every PAIR_RETRY_S. */
#ifndef BACKUPD_ACTION_PAIR_AUTO_H
#define BACKUPD_ACTION_PAIR_AUTO_H

#include <stdbool.h>

#include "action_request.h"

#define PAIR_RETRY_S 30

struct pair_auto;

struct pair_auto *pair_auto_new(struct action_ctx *ctx);
/* mode: enum auto_pair (config.h); have_identity: SupervisionIdentity= is loaded. */
void pair_auto_set(struct pair_auto *pa, int mode, bool have_identity);
/* Whether backupd pairs phones itself (then probes must not: PROBE_FLAG_NO_PAIR). */
bool pair_auto_pairs(const struct pair_auto *pa);
void pair_auto_scan(struct pair_auto *pa);
/* The same on the next loop turn (from inside the fleet's callbacks). */
void pair_auto_scan_soon(struct pair_auto *pa);
void pair_auto_hotplug(struct pair_auto *pa, enum hotplug_kind kind, const char *udid);
void pair_auto_free(struct pair_auto *pa);

#endif
