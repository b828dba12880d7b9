/* SPDX-License-Identifier: ISC */
/* See probe_lost.h. */
#include "clock.h"
#include "probe_lost.h"
#include "xmalloc.h"

void probe_lost_report(const struct probe_lost_sink *sink, const struct probe_lost *lost,
                       enum probe_status status, enum action_outcome outcome, const char *why,
                       int hint)
{
	if (probe_queue_is_action(lost->action.op)) {
		probe_queue_action_lost(&lost->action, lost->udid, outcome, why);
		return;
	}
	struct device_facts facts;
	facts_init(&facts, lost->udid);
	facts.status = status;
	strlcpy_safe(facts.error, why, sizeof(facts.error));
	facts.probed_at_unix = clock_wall_unix();
	sink->done(sink->arg, &facts, hint);
}
