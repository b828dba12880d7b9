/* SPDX-License-Identifier: ISC */
/* probe_affinity: which queued job an idle helper takes. A job goes back to the helper that
 * holds its device's session (its slot, probe_hint.h) unless that helper is stuck on one
 * probe, and a quarantined device runs on the quarantine helpers only (probe_pool.c). Pure:
 * it knows the helpers only by what the pool tells of them. */
#ifndef BACKUPD_PROBE_AFFINITY_H
#define BACKUPD_PROBE_AFFINITY_H

#include <stdbool.h>
#include <stdint.h>

#include "probe_queue.h"

/* A job waits for the helper that holds its session until that helper has spent this long on
 * its current probe; then another helper takes it. Longer than opening a cold session (two TLS
 * handshakes, each with libimobiledevice 1.3.0's 100 ms sleep), so taking a job never costs
 * more than waiting would: with 50 ms, sessions migrated between helpers for several sweeps
 * after start-up (tests/bench/run.sh). */
#define PROBE_AFFINITY_WAIT_MS 250

/* The helper of a job's slot, as the rule sees it. */
struct probe_affinity_owner {
	bool running;       /* it has a process */
	bool busy;          /* on a probe or an action */
	int64_t started_ms; /* when that began (clock_monotonic_ms) */
};

/* Whether the idle helper of slot (a quarantine slot or not) should take job at now_ms. owner
 * is the helper of job->slot; it is read only when job->slot is another ordinary slot. */
bool probe_affinity_fits(const struct probe_job *job, int slot, bool quarantine_slot,
                         const struct probe_affinity_owner *owner, int64_t now_ms);

#endif
