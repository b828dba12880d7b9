/* SPDX-License-Identifier: ISC */
/* The preconditions of an automatic iCloud backup as every program names them: their ids
 * (include/precondition_list.h), verdicts and readiness. Each precondition's entry (name,
 * fix, judge, config keys, ...) is daemon/backupd/precond/precondition.h. */
#ifndef BACKUPD_PRECONDITIONS_H
#define BACKUPD_PRECONDITIONS_H

#include <stdbool.h>

enum precondition_id {
#define PRECONDITION(ID, name) PRECOND_##ID,
#include "precondition_list.h"
#undef PRECONDITION
	PRECOND_COUNT
};

enum verdict_state { VERDICT_UNKNOWN = 0, VERDICT_OK, VERDICT_FAILING };

struct verdict {
	enum verdict_state state;
	char reason[200];
};

const char *verdict_state_name(enum verdict_state state);
int verdict_state_by_name(const char *name);

/* What backupd may say of a phone as a whole: ready, not_ready or unknown. The rule is
 * verdicts_readiness() in daemon/backupd/precond/precondition.h. */
enum readiness { READINESS_UNKNOWN = 0, READINESS_READY, READINESS_NOT_READY, READINESS_COUNT };

/* "ready", "not_ready", "unknown" (JSON, journal READINESS=, metrics). */
const char *readiness_name(enum readiness readiness);

/* Same states and reasons (the bytes after a reason's end do not count). */
bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT]);

#endif
