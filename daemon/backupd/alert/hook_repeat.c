/* SPDX-License-Identifier: ISC */
/* The repeat schedule of AlertRepeat (see hook_repeat.h). */
#include <stddef.h>

#include "hook_repeat.h"

#define DAY_S             86400
#define DIMINISHING_LIMIT 10 /* 1024 days: further doublings change nothing a person notices */

int64_t hook_repeat_next(enum hook_repeat_policy policy, const struct alert_memory *memory)
{
	int64_t last =
	    memory->repeated_at_unix > 0 ? memory->repeated_at_unix : memory->announced_at_unix;
	int64_t doublings =
	    memory->repeats < DIMINISHING_LIMIT ? memory->repeats : DIMINISHING_LIMIT;
	if (memory->announced != VERDICT_FAILING || last <= 0)
		return 0;
	int64_t pause;
	switch (policy) {
	case HOOK_REPEAT_DAILY:
		pause = DAY_S;
		break;
	case HOOK_REPEAT_DIMINISHING:
		pause = (int64_t)DAY_S << (doublings > 0 ? doublings : 0);
		break;
	default:
		return 0;
	}
	/* The memory comes from the state file: a time near INT64_MAX means "not in this era". */
	int64_t next;
	if (__builtin_add_overflow(last, pause, &next))
		return INT64_MAX;
	return next;
}

bool hook_repeat_due(enum hook_repeat_policy policy, const struct alert_memory *memory,
                     int64_t now_unix)
{
	int64_t next = hook_repeat_next(policy, memory);

	return next > 0 && now_unix >= next;
}
