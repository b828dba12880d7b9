/* SPDX-License-Identifier: ISC */
/* probe_affinity: the rule of which job an idle helper takes; see probe_affinity.h. */
#include "probe_affinity.h"

bool probe_affinity_fits(const struct probe_job *job, int slot, bool quarantine_slot,
                         const struct probe_affinity_owner *owner, int64_t now_ms)
{
	if (job->quarantined || quarantine_slot)
		return job->quarantined && quarantine_slot;
	if (job->slot < 0 || job->slot == slot)
		return true;
	if (!owner->running)
		return true;
	if (!owner->busy)
		return false; /* the owner is idle and takes it in the same pass */
	/* A long queue of quick probes is no reason to move: only an owner stuck on one. */
	return now_ms - owner->started_ms >= PROBE_AFFINITY_WAIT_MS;
}
