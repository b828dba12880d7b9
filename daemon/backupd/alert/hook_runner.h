/* SPDX-License-Identifier: ISC */
/* hook_runner: the alert command ([Alerts] AlertCommand=), a second consumer of the
 * transitions alert.c writes to the journal (hook_runner_consumer), for sites without
 * Prometheus. Never on the loop's back: events wait in a bounded queue (AlertCommandQueue),
 * at most AlertCommandJobs commands run at once, each killed with its process group after
 * AlertCommandTimeout. A full queue drops the newest event; the drops are counted, said in
 * the journal once the queue moves again, and told to the next command run
 * (BACKUPD_DROPPED_BEFORE). Each run's result, exit status and stderr go to the journal. */
#ifndef BACKUPD_HOOK_RUNNER_H
#define BACKUPD_HOOK_RUNNER_H

#include <stdint.h>

#include "alert.h"
#include "config.h"
#include "hook_spawn.h"

struct event_base;
struct hook_runner;

/* Counters since start, for /metrics (backupd_alert_command_runs_total{result},
 * backupd_alert_command_dropped_total). */
struct hook_stats {
	uint64_t runs[HOOK_RESULT_COUNT]; /* by result; see hook_result_name() */
	uint64_t dropped;
	uint64_t queued;  /* waiting now */
	uint64_t running; /* running now */
};

/* With an empty AlertCommand it takes nothing. */
struct hook_runner *hook_runner_new(struct event_base *base, const struct backupd_config *config);
/* New settings apply to the next run; commands running keep their time limit. */
void hook_runner_reconfigure(struct hook_runner *runner, const struct backupd_config *config);
/* Kills what still runs (its results are journaled), drops what waits (said). Whoever was
 * given its consumer must no longer use it. */
void hook_runner_free(struct hook_runner *runner);

void hook_runner_stats(const struct hook_runner *runner, struct hook_stats *out);
/* The alert consumer (alert.h) that queues events for the command: the daemon hands it to
 * the fleet's alert sink. Valid until hook_runner_free. */
struct alert_consumer hook_runner_consumer(struct hook_runner *runner);

#endif
