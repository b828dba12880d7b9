/* SPDX-License-Identifier: ISC */
/* probe_pool: helper processes that run probes, dispatched from the event loop.
 * See include/probe_pool.h for why probes run in processes. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "clock.h"
#include "journal.h"
#include "probe_affinity.h"
#include "probe_hint.h"
#include "probe_lost.h"
#include "probe_pool.h"
#include "probe_pool_state.h"
#include "probe_proc.h"
#include "probe_queue.h"
#include "probe_reply_check.h"
#include "probe_wire.h"
#include "xmalloc.h"
#include "trace_env.h"

/* How long a helper whose socket closed may take to become reapable before its cause of death
 * is given as unknown. Its fds close a moment before it turns into a zombie. */
#define REAP_WAIT_MS 200
/* How far into the queue an idle helper looks for a job of its own. */
#define DISPATCH_SCAN 512

static void helper_readable(evutil_socket_t fd, short what, void *arg);
static void helper_deadline(evutil_socket_t fd, short what, void *arg);

static bool helper_start(struct helper *h)
{
	struct probe_pool *pool = h->pool;
	if (!probe_proc_start(&h->proc, &pool->start, pool->base, helper_readable, h))
		return false;
	h->busy = false;
	h->dying = false;
	h->deadline = evtimer_new(pool->base, helper_deadline, h);
	return true;
}

/* Ends a helper process; the SIGCHLD handler reaps it. */
void probe_pool_helper_stop(struct helper *h)
{
	if (h->proc.pid <= 0)
		return;
	probe_proc_stop(&h->proc, &h->pool->stopped);
	event_free(h->deadline);
	h->deadline = NULL;
	h->busy = false;
	h->dying = false;
	h->unsent = false;
}

static void finish_job(struct helper *h, const struct device_facts *facts, int served_by)
{
	struct probe_pool *pool = h->pool;
	h->busy = false;
	if (h->deadline)
		evtimer_del(h->deadline);
	int64_t run_ms = clock_monotonic_ms() - h->started_ms;
	probe_stats_record(&pool->stats, facts->status, run_ms);
	if (pool->trace) /* the helper's own line says where run_ms went */
		fprintf(stderr,
		        "backupd-trace job udid=%s slot=%d queued=%d wait_ms=%lld run_ms=%lld "
		        "at_ms=%lld\n",
		        facts->udid, h->slot, pool->queue.n, (long long)h->waited_ms,
		        (long long)run_ms, (long long)clock_realtime_ms());
	pool->sink.done(pool->sink.arg, facts, served_by);
}

/* The helper died or misbehaved while probing: report the device, replace the helper. */
static void helper_failed(struct helper *h, enum probe_status status, const char *why)
{
	bool was_busy = h->busy;
	struct probe_lost lost = {.action = h->action};
	strlcpy_safe(lost.udid, h->udid, sizeof(lost.udid));
	if (was_busy && !probe_queue_is_action(h->action.op))
		probe_stats_record(&h->pool->stats, status, clock_monotonic_ms() - h->started_ms);
	probe_pool_helper_stop(h);
	helper_start(h); /* on failure pid stays 0 and dispatch retries */
	/* A device that hung or crashed its helper goes to quarantine from now on. */
	if (was_busy)
		probe_lost_report(&h->pool->sink, &lost, status,
		                  status == PROBE_UNRESPONSIVE ? ACTION_TIMED_OUT
		                                               : ACTION_HELPER_LOST,
		                  why, PROBE_HINT_QUARANTINE);
	probe_pool_dispatch(h->pool);
}

/* The helper is gone and reaped, or given up on: say how it ended (and back off when it could
 * not start, probe_proc.h). */
static void helper_ended(struct helper *h)
{
	char how[96], why[160];
	probe_proc_describe_end(&h->proc, &h->pool->start, how, sizeof(how));
	snprintf(why, sizeof(why), "probe helper %s while reading the device", how);
	helper_failed(h, PROBE_PROTOCOL_ERROR, why);
}

/* The helper's end of the socket closed: it is exiting. Its cause of death is known once it
 * can be reaped: now, at the next SIGCHLD, or never (REAP_WAIT_MS, then unknown). */
static void helper_died(struct helper *h)
{
	event_del(h->proc.readable);
	if (probe_proc_try_reap(&h->proc)) {
		helper_ended(h);
		return;
	}
	h->dying = true;
	struct timeval limit = clock_timeval_ms(REAP_WAIT_MS);
	evtimer_add(h->deadline, &limit);
}

static void helper_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct helper *h = arg;
	if (h->dying) {
		helper_ended(h);
		return;
	}
	if (h->unsent) {
		helper_failed(h, PROBE_PROTOCOL_ERROR,
		              "could not send the request to a probe helper");
		return;
	}
	char why[160];
	snprintf(why, sizeof(why), "no answer within %lld ms (ProbeTimeout)",
	         (long long)h->pool->opts.timeout_ms);
	helper_failed(h, PROBE_UNRESPONSIVE, why);
}

static void action_answered(struct helper *h, const void *bytes, size_t n)
{
	struct action_result result;
	char why[160];
	if (!action_reply_check(bytes, n, h->seq, &result, why, sizeof(why))) {
		log_warning("%s: %s; helper %d replaced", h->udid, why, (int)h->proc.pid);
		helper_failed(h, PROBE_PROTOCOL_ERROR, why);
		return;
	}
	result.supervised = h->action.op == PROBE_OP_PAIR && h->signatures > 0;
	h->busy = false;
	evtimer_del(h->deadline);
	struct probe_action_job action = h->action;
	h->action.op = PROBE_OP_PROBE;
	action.done(action.arg, h->udid, &result);
	probe_pool_dispatch(h->pool);
}

/* A helper in a supervised pairing asks for the challenge's signature: once, and only that. */
static void challenge_asked(struct helper *h, const void *bytes, size_t n)
{
	char why[160];
	if (!probe_sign_answer(&h->pool->signer, h->proc.fd, h->seq, h->action.op == PROBE_OP_PAIR,
	                       &h->signatures, bytes, n, why, sizeof(why))) {
		log_warning("%s: probe helper %d %s; helper replaced", h->udid, (int)h->proc.pid,
		            why);
		helper_failed(h, PROBE_PROTOCOL_ERROR, why);
	}
}

static void helper_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct helper *h = arg;
	_Alignas(struct probe_reply) unsigned char
	    bytes[sizeof(struct probe_reply) + sizeof(struct pair_challenge)];
	ssize_t n = recv(fd, bytes, sizeof(bytes), MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 0) {
		helper_died(h);
		return;
	}
	if (n > 0 && probe_proc_hello(&h->proc, &h->pool->start, bytes, (size_t)n))
		return;
	if (n < 0 || !h->busy) {
		helper_failed(h, PROBE_PROTOCOL_ERROR,
		              n < 0 ? "probe helper connection failed"
		                    : "probe helper sent a reply nobody asked for");
		return;
	}
	if (probe_sign_is_challenge(bytes, (size_t)n)) {
		challenge_asked(h, bytes, (size_t)n);
		return;
	}
	if (probe_queue_is_action(h->action.op)) {
		action_answered(h, bytes, (size_t)n);
		return;
	}
	int64_t now_ms = clock_monotonic_ms();
	struct probe_reply_job job = {
	    .udid = h->udid,
	    .seq = h->seq,
	    .now_unix = clock_wall_unix(),
	    .elapsed_ms = (uint32_t)(now_ms - h->started_ms),
	};
	struct device_facts facts;
	char why[sizeof(facts.error)];
	if (!probe_reply_check(bytes, (size_t)n, &job, &facts, why, sizeof(why))) {
		/* Every time, not only on a transition: a lying helper may be a subverted one. */
		log_warning("%s: %s; helper %d replaced", h->udid, why, (int)h->proc.pid);
		helper_failed(h, PROBE_PROTOCOL_ERROR, why);
		return;
	}
	int hint = probe_hint_served(h->pool->layout, h->slot, is_quarantine_slot(h->pool, h->slot),
	                             facts.status);
	finish_job(h, &facts, hint);
	probe_pool_dispatch(h->pool);
}

static bool helper_send(struct helper *h, uint32_t op, const char *udid)
{
	/* FORGET has no reply: it must not change the seq a busy helper will answer. */
	uint32_t seq = op != PROBE_OP_FORGET ? ++h->seq : h->seq;
	/* The helper's own limits end a slow call a little before we kill it. */
	uint32_t limit = (uint32_t)(h->pool->opts.timeout_ms * 3 / 4);
	if (op == PROBE_OP_PAIR)
		return probe_proc_send_pair(&h->proc, seq, udid, limit, h->pool->signer.cert,
		                            h->pool->signer.cert_len);
	return probe_proc_send(&h->proc, op, seq, udid, limit,
	                       op == PROBE_OP_PROBE ? h->pool->probe_flags : 0);
}

static void helper_run(struct helper *h, struct probe_job *job)
{
	struct probe_pool *pool = h->pool;
	strlcpy_safe(h->udid, job->udid, sizeof(h->udid));
	h->action = job->action;
	h->started_ms = clock_monotonic_ms();
	h->waited_ms = h->started_ms - job->queued_ms;
	probe_queue_remove(&pool->queue, job);
	h->busy = true;
	h->signatures = 0;
	struct timeval limit = clock_timeval_ms(pool->opts.timeout_ms);
	evtimer_add(h->deadline, &limit);
	/* Failed from the loop, not from here: helper_failed reports the device and dispatches
	 * again, and dispatch runs under callers that hold pointers meanwhile (fleet_refresh),
	 * and may have called us (a helper whose sends keep failing recursed once per job). */
	if (!helper_send(h, h->action.op, h->udid)) {
		h->unsent = true;
		struct timeval now = {0, 0};
		evtimer_add(h->deadline, &now);
	}
}

struct fit_query {
	const struct probe_pool *pool;
	const struct helper *h;
	int64_t now;
};

/* Whether idle helper q->h should take job now. */
static bool query_fits(const struct probe_job *job, void *arg)
{
	const struct fit_query *q = arg;
	struct probe_affinity_owner owner = {0};
	if (job->slot >= 0) {
		const struct helper *h = &q->pool->helpers[job->slot];
		owner = (struct probe_affinity_owner){h->proc.pid > 0, h->busy, h->started_ms};
	}
	return probe_affinity_fits(job, q->h->slot, is_quarantine_slot(q->pool, q->h->slot), &owner,
	                           q->now);
}

static struct probe_job *find_job(struct probe_pool *pool, const struct helper *h, int64_t now)
{
	struct fit_query q = {pool, h, now};
	return probe_queue_find(&pool->queue, query_fits, &q, DISPATCH_SCAN);
}

/* A job taken from the helper holding its session: that helper closes the session when its
 * current probe ends (FORGET waits in its socket), so no device keeps two sessions open. */
static void take_job(struct probe_pool *pool, struct helper *h, struct probe_job *job)
{
	if (job->slot >= 0 && job->slot != h->slot) {
		struct helper *owner = &pool->helpers[job->slot];
		if (owner->proc.pid > 0)
			helper_send(owner, PROBE_OP_FORGET, job->udid);
	}
	helper_run(h, job);
}

void probe_pool_dispatch(struct probe_pool *pool)
{
	int64_t now = clock_monotonic_ms();
	bool idle_left = false, not_started = false;
	for (int i = 0; i < pool->n_helpers && pool->queue.n > 0; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->proc.pid <= 0 && !helper_start(h)) {
			not_started = true; /* retried by the timer below */
			continue;
		}
		if (h->busy || h->dying)
			continue;
		struct probe_job *job = find_job(pool, h, now);
		if (job)
			take_job(pool, h, job);
		else
			idle_left = true;
	}
	/* Jobs waiting for a busy owner may become free for all after PROBE_AFFINITY_WAIT_MS;
	 * helpers that did not start are tried again when the back-off allows. */
	int64_t wait_ms = PROBE_AFFINITY_WAIT_MS;
	if (not_started && !idle_left && probe_start_wait_ms(&pool->start) > wait_ms)
		wait_ms = probe_start_wait_ms(&pool->start);
	if ((idle_left || not_started) && pool->queue.n > 0 &&
	    !evtimer_pending(pool->retry_dispatch, NULL)) {
		struct timeval soon = clock_timeval_ms(wait_ms);
		evtimer_add(pool->retry_dispatch, &soon);
	}
}

static void retry_dispatch(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	probe_pool_dispatch(arg);
}

static void on_sigchld(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct probe_pool *pool = arg;
	probe_proc_reap_stopped(&pool->stopped, false);
	for (int i = 0; i < pool->n_helpers; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->dying && probe_proc_try_reap(&h->proc))
			helper_ended(h);
	}
}

void probe_pool_init_slots(struct probe_pool *pool)
{
	for (int i = 0; i < pool->n_helpers; i++)
		pool->helpers[i] = (struct helper){.pool = pool, .slot = i, .proc.fd = -1};
}

struct probe_pool *probe_pool_new(struct event_base *base, const struct probe_pool_options *opts,
                                  probe_done_fn done, void *arg)
{
	struct probe_pool *pool = xcalloc(1, sizeof(*pool));
	pool->base = base;
	pool->opts = *opts;
	probe_start_init(&pool->start, opts->helper_exe);
	pool->opts.helper_exe = NULL;
	pool->sink = (struct probe_lost_sink){done, arg};
	probe_queue_init(&pool->queue);
	pool->n_helpers = opts->workers + QUARANTINE_HELPERS;
	pool->helpers = xcalloc((size_t)pool->n_helpers, sizeof(*pool->helpers));
	probe_pool_init_slots(pool);
	pool->retry_dispatch = evtimer_new(base, retry_dispatch, pool);
	pool->sigchld = evsignal_new(base, SIGCHLD, on_sigchld, pool);
	pool->trace = trace_env_on();
	event_add(pool->sigchld, NULL);
	return pool;
}

const struct probe_stats *probe_pool_stats(const struct probe_pool *pool)
{
	return &pool->stats;
}

void probe_pool_submit(struct probe_pool *pool, const char *udid, int hint)
{
	struct probe_job *job = probe_queue_push(&pool->queue, udid);
	job->quarantined = hint == PROBE_HINT_QUARANTINE;
	job->slot = probe_hint_slot(pool->layout, pool->opts.workers, hint);
	probe_pool_dispatch(pool);
}

void probe_pool_submit_action(struct probe_pool *pool, const char *udid, uint32_t op,
                              probe_action_fn done, void *arg)
{
	struct probe_job *job = probe_queue_push(&pool->queue, udid);
	job->action = (struct probe_action_job){.op = op, .done = done, .arg = arg};
	probe_pool_dispatch(pool);
}

bool probe_pool_running(const struct probe_pool *pool, const char *udid)
{
	for (int i = 0; i < pool->n_helpers; i++) {
		const struct helper *h = &pool->helpers[i];
		if (h->proc.pid > 0 && h->busy && !probe_queue_is_action(h->action.op) &&
		    strcmp(h->udid, udid) == 0)
			return true;
	}
	return false;
}

bool probe_pool_forget(struct probe_pool *pool, const char *udid)
{
	bool dropped = probe_queue_drop_probes(&pool->queue, udid);
	/* Idle helpers drop the cached session now; a busy one finds it broken by itself. */
	for (int i = 0; i < pool->n_helpers; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->proc.pid > 0 && !h->busy)
			helper_send(h, PROBE_OP_FORGET, udid);
	}
	return dropped;
}

void probe_pool_free(struct probe_pool *pool)
{
	if (!pool)
		return;
	/* Wait for each killed helper, so none outlives the daemon (systemd would count it as
	 * left over at stop). SIGKILL makes that wait short. */
	for (int i = 0; i < pool->n_helpers; i++)
		probe_pool_helper_stop(&pool->helpers[i]);
	probe_proc_reap_stopped(&pool->stopped, true); /* SIGKILLed: short */
	probe_proc_stopped_free(&pool->stopped);
	probe_start_close(&pool->start);
	probe_queue_clear(&pool->queue);
	event_free(pool->retry_dispatch);
	event_free(pool->sigchld);
	free(pool->helpers);
	free(pool);
}

void probe_pool_set_signer(struct probe_pool *pool, const struct probe_signer *signer)
{
	pool->signer = signer ? *signer : (struct probe_signer){0};
}

void probe_pool_set_probe_flags(struct probe_pool *pool, uint32_t flags)
{
	pool->probe_flags = flags;
}

void probe_pool_health(const struct probe_pool *pool, struct probe_start_health *out)
{
	probe_start_health(&pool->start, out);
}
