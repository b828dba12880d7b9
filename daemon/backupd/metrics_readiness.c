/* The stand-in rule (issue 11 spec): unknown when detached, not probed in this attachment or
 * unreachable; otherwise not ready when a precondition fails, else ready. */
#include "metrics_readiness.h"

static const char *const readiness_names[READINESS_COUNT] = {
    [READINESS_READY] = "ready",
    [READINESS_NOT_READY] = "not_ready",
    [READINESS_UNKNOWN] = "unknown",
};

const char *metrics_readiness_name(enum metrics_readiness readiness)
{
	return readiness_names[readiness];
}

enum metrics_readiness metrics_device_readiness(const struct device_record *record)
{
	/* last_seen_unix is the attach time while attached: a probe before it is of an older
	 * attachment. */
	if (!record->attached || record->facts.status != PROBE_OK ||
	    record->facts.probed_at_unix < record->last_seen_unix)
		return READINESS_UNKNOWN;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (record->verdicts[i].state == VERDICT_FAILING)
			return READINESS_NOT_READY;
	return READINESS_READY;
}
