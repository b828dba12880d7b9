/* SPDX-License-Identifier: ISC */
/* The table of entries, from include/precondition_list.h, and what is read across it. */
#include <string.h>

#include "message_ids.h"
#include "precondition.h"

static const struct precondition_info *const table[PRECOND_COUNT] = {
#define PRECONDITION(ID, name) [PRECOND_##ID] = &precondition_##name,
#include "precondition_list.h"
#undef PRECONDITION
};

const struct precondition_info *precondition_info(enum precondition_id id)
{
	if ((unsigned)id >= PRECOND_COUNT)
		return NULL;
	return table[id];
}

int precondition_by_name(const char *name)
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (strcmp(table[i]->name, name) == 0)
			return i;
	return -1;
}

const char *message_id_for_precondition(enum precondition_id id)
{
	const struct precondition_info *info = precondition_info(id);
	return info ? info->message_id : NULL;
}

const char *message_id_for_unreachable(enum probe_status status)
{
	const char *id = message_id_for_probe_status(status);
	return id ? id : message_id_for_precondition(PRECOND_REACHABLE);
}

enum readiness verdicts_readiness(const struct verdict verdicts[PRECOND_COUNT], bool attached)
{
	if (!attached)
		return READINESS_UNKNOWN;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (i != PRECOND_REACHABLE && verdicts[i].state == VERDICT_FAILING)
			return READINESS_NOT_READY;
	if (verdicts[PRECOND_REACHABLE].state != VERDICT_OK)
		return READINESS_UNKNOWN;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (verdicts[i].state == VERDICT_UNKNOWN && !table[i]->unknown_allows_ready)
			return READINESS_UNKNOWN;
	return READINESS_READY;
}
