/* SPDX-License-Identifier: ISC */
/* AutoEnableBackup=yes: when a probe finds iCloud Backup off on an attached, readable phone,
 * backupd switches it on by itself (an enable-backup request of its own, journaled with
 * ACTION_UID=auto), at most once per phone per day (the daemon's clock, UTC days). Scans run
 * after verdict changes and every AUTO_SCAN_S seconds. */
#ifndef BACKUPD_ACTION_AUTO_H
#define BACKUPD_ACTION_AUTO_H

#include <stdbool.h>

struct action_ctx;
struct action_auto;

struct action_auto *action_auto_new(struct action_ctx *ctx);
void action_auto_set(struct action_auto *aa, bool enabled);
/* Looks at every phone now; _soon: on the next loop turn (after a verdict change, from
 * inside the fleet's callback). */
void action_auto_scan(struct action_auto *aa);
void action_auto_scan_soon(struct action_auto *aa);
void action_auto_free(struct action_auto *aa);

#endif
