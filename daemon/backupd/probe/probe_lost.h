/* SPDX-License-Identifier: ISC */
/* probe_lost: what becomes of the job a helper was running when the helper is lost (it
 * crashed, hung, lied, or a reload stopped it). A probe is reported to the pool's caller as a
 * failed probe; an action tells its own caller that it ended without an answer. */
#ifndef BACKUPD_PROBE_LOST_H
#define BACKUPD_PROBE_LOST_H

#include <stdbool.h>

#include "probe_queue.h"

/* A job taken from a helper that is gone, kept until it can be reported. */
struct probe_lost {
	char udid[UDID_MAX];
	struct probe_action_job action;
	bool quarantined; /* a probe: where to run the next one (probe_hint.h) */
};

/* Where the lost job is reported: the pool's callback for probes. */
struct probe_lost_sink {
	probe_done_fn done;
	void *arg;
};

/* Reports lost: a probe with status, why and hint (PROBE_HINT_*); an action as action_outcome
 * (ACTION_TIMED_OUT, ACTION_HELPER_LOST) with why. */
void probe_lost_report(const struct probe_lost_sink *sink, const struct probe_lost *lost,
                       enum probe_status status, enum action_outcome outcome, const char *why,
                       int hint);

#endif
