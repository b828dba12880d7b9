/* SPDX-License-Identifier: ISC */
/* The preconditions of an automatic iCloud backup, one table row each, shared by backupd
 * (rules, alerts, catalog) and backupctl (display). */
#ifndef BACKUPD_PRECONDITIONS_H
#define BACKUPD_PRECONDITIONS_H

#include <stdbool.h>

enum precondition_id {
	PRECOND_REACHABLE = 0, /* the probe could read the device at all */
	PRECOND_BACKUP_ENABLED,
	PRECOND_LOCKED,
	PRECOND_POWER,
	PRECOND_WIFI,
	PRECOND_ICLOUD_STORAGE,
	PRECOND_IOS_CURRENT,
	PRECOND_BACKUP_RECENT,
	PRECOND_ICLOUD_SERVICE, /* fleet-wide: Apple's status feed */
	PRECOND_COUNT
};

enum verdict_state { VERDICT_UNKNOWN = 0, VERDICT_OK, VERDICT_FAILING };

struct verdict {
	enum verdict_state state;
	char reason[200];
};

struct precondition_info {
	enum precondition_id id;
	const char *name;          /* stable identifier: "backup_enabled" (journal, JSON, state) */
	const char *blocker;       /* short word for the BLOCKERS column: "backup-off" */
	const char *fix;           /* the first thing an admin should try */
	bool unknown_allows_ready; /* see verdicts_readiness() */
	const char *title;         /* what a person calls it: "iCloud Backup on" (the pages) */
};

const struct precondition_info *precondition_info(enum precondition_id id);
/* Returns -1 when name is not a precondition's name. */
int precondition_by_name(const char *name);
const char *verdict_state_name(enum verdict_state state);
int verdict_state_by_name(const char *name);

/* What backupd may say of a phone as a whole. It never claims more than it observed:
 *
 *   unknown    the phone is detached (nothing is observed now), or reachable is not ok in
 *              this attachment (not probed yet, or the probe failed: not paired, locked since
 *              restart, unresponsive, ...), or a precondition whose unknown_allows_ready is
 *              false is unknown (e.g. iCloud Backup setting not readable);
 *   not_ready  attached, and some precondition is failing (observed in this attachment, or
 *              fleet-wide: Apple reports an event). A failing precondition wins over
 *              unknown: a phone unreachable now whose backup is known to be stale is not
 *              ready;
 *   ready      attached, reachable ok, nothing failing, and every unknown is in a row whose
 *              unknown_allows_ready is true.
 *
 * unknown_allows_ready, per row (preconditions.c is the table): yes for wifi (the
 * diagnostics relay often does not answer; backup_recent still shows whether backups
 * happen), icloud_storage (an estimate at best) and icloud_service (Apple's feed may be off
 * or unreachable; an event seen is still failing); no for every other row. ios_current is ok,
 * not unknown, when MinimumIOS is unset (nothing to check), so it never holds a phone back
 * then. backupctl counts unknown as not ready for its exit status. */
enum readiness { READINESS_UNKNOWN = 0, READINESS_READY, READINESS_NOT_READY, READINESS_COUNT };

enum readiness verdicts_readiness(const struct verdict verdicts[PRECOND_COUNT], bool attached);
/* "ready", "not_ready", "unknown" (JSON, journal READINESS=, metrics). */
const char *readiness_name(enum readiness readiness);

/* Same states and reasons (the bytes after a reason's end do not count). */
bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT]);

#endif
