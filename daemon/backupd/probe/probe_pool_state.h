/* SPDX-License-Identifier: ISC */
/* probe_pool_state: the pool's helpers and queue, shared by probe_pool.c (helpers, jobs,
 * dispatch) and probe_pool_reload.c (what a reload that changes Workers does to them) only:
 * the reload calls into the pool, never the other way. */
#ifndef BACKUPD_PROBE_POOL_STATE_H
#define BACKUPD_PROBE_POOL_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "probe_lost.h"
#include "probe_pool_options.h"
#include "probe_proc.h"
#include "probe_queue.h"
#include "probe_sign.h"
#include "probe_start.h"
#include "probe_stats.h"

/* Devices that timed out once run only on these extra helpers, so that killing a helper for a
 * hung device never throws away the warm sessions of healthy ones. */
#define QUARANTINE_HELPERS 2

struct helper {
	struct probe_pool *pool;
	int slot;
	struct probe_proc proc;
	struct event *deadline;
	bool busy;
	uint32_t seq;
	char udid[UDID_MAX];            /* the device being probed while busy */
	struct probe_action_job action; /* of the job it runs */
	int64_t started_ms;
	int64_t waited_ms; /* of the job it runs, in the queue (BACKUPD_TRACE) */
	int signatures;    /* of the job it runs: at most one (probe_sign.h) */
	bool dying;        /* its socket closed; waiting (briefly) to reap it for the cause */
	bool unsent;       /* its request could not be sent: helper_deadline fails it, at once */
};

struct probe_pool {
	struct event_base *base;
	struct probe_pool_options opts;
	struct probe_start start;
	struct probe_lost_sink sink; /* whom finished and lost probes are reported to */
	int n_helpers;               /* opts.workers + QUARANTINE_HELPERS */
	struct helper *helpers;
	struct probe_queue queue;
	struct event *retry_dispatch;
	struct event *sigchld;
	struct probe_proc_stopped stopped;
	int layout; /* generation of the slot layout, for hints (probe_hint.h) */
	struct probe_stats stats;
	struct probe_signer signer; /* cert NULL, sign NULL: none */
	uint32_t probe_flags;
	bool trace; /* BACKUPD_TRACE: one line per finished probe on stderr */
};

static inline bool is_quarantine_slot(const struct probe_pool *pool, int slot)
{
	return slot >= pool->opts.workers && slot < pool->n_helpers;
}

/* Ends a helper process (reaped at SIGCHLD) and clears its job; the job is not reported. */
void probe_pool_helper_stop(struct helper *h);
/* Every slot not running, for n_helpers helpers. */
void probe_pool_init_slots(struct probe_pool *pool);
/* Gives queued jobs to idle helpers (starting those not running). */
void probe_pool_dispatch(struct probe_pool *pool);

#endif
