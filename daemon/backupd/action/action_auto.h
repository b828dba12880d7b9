/* SPDX-License-Identifier: ISC */
/* What backupd does to phones by itself, each off by default and journaled with
 * ACTION_UID=auto (an action request of its own, as if asked on the control socket):
 * - AutoEnableBackup=yes: a probe finds iCloud Backup off on an attached, readable phone ->
 *   switch it on; at most once per phone per UTC day.
 * - AutoRestart=stale HH:MM-HH:MM: a phone backupd would call ready but for a last backup
 *   older than MaxBackupAge -> restart it, only inside the window (local time), at most once
 *   per phone per opening of the window (so once a day), and only while fewer than
 *   AutoRestartMax= phones are restarting (any restart, asked for or not, counts).
 * The day each phone was last done is kept in its record (auto_day, in the state file), so a
 * restart of backupd does not do it twice. Scans run after verdict changes, after a restart
 * finishes, and every AUTO_SCAN_S seconds. */
#ifndef BACKUPD_ACTION_AUTO_H
#define BACKUPD_ACTION_AUTO_H

#include <stdbool.h>

struct action_ctx;
struct action_auto;

struct action_auto_config {
	bool enable_backup;  /* AutoEnableBackup=yes */
	const char *restart; /* AutoRestart= text, "" = off */
	int restart_max;     /* AutoRestartMax= */
};

struct action_auto *action_auto_new(struct action_ctx *ctx);
/* A value the config check let through; an unparsable AutoRestart= leaves it off. */
void action_auto_set(struct action_auto *aa, const struct action_auto_config *config);
/* Looks at every phone now; _soon: on the next loop turn (after a verdict change, from
 * inside the fleet's callback). */
void action_auto_scan(struct action_auto *aa);
void action_auto_scan_soon(struct action_auto *aa);
void action_auto_free(struct action_auto *aa);

#endif
