/* SPDX-License-Identifier: ISC */
/* The words of verdict states and readiness, shared by every program. */
#include <string.h>

#include "preconditions.h"

static const char *const state_names[] = {
    [VERDICT_UNKNOWN] = "unknown",
    [VERDICT_OK] = "ok",
    [VERDICT_FAILING] = "failing",
};

const char *verdict_state_name(enum verdict_state state)
{
	if ((unsigned)state > VERDICT_FAILING)
		return "invalid";
	return state_names[state];
}

int verdict_state_by_name(const char *name)
{
	for (int i = 0; i <= VERDICT_FAILING; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const readiness_names[READINESS_COUNT] = {
    [READINESS_UNKNOWN] = "unknown",
    [READINESS_READY] = "ready",
    [READINESS_NOT_READY] = "not_ready",
};

const char *readiness_name(enum readiness readiness)
{
	if ((unsigned)readiness >= READINESS_COUNT)
		return "unknown";
	return readiness_names[readiness];
}

bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT])
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (a[i].state != b[i].state || strcmp(a[i].reason, b[i].reason) != 0)
			return false;
	return true;
}
