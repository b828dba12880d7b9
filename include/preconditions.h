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
	const char *name;    /* stable identifier: "backup_enabled" (journal, JSON, state) */
	const char *blocker; /* short word for the BLOCKERS column: "backup-off" */
	const char *fix;     /* the first thing an admin should try */
};

const struct precondition_info *precondition_info(enum precondition_id id);
/* Returns -1 when name is not a precondition's name. */
int precondition_by_name(const char *name);
const char *verdict_state_name(enum verdict_state state);
int verdict_state_by_name(const char *name);

/* A device is ready when none of its preconditions fails. */
bool verdicts_ready(const struct verdict verdicts[PRECOND_COUNT]);

/* Same states and reasons (the bytes after a reason's end do not count). */
bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT]);

#endif
