/* SPDX-License-Identifier: ISC */
/* probe_pool: helper processes that run probes, dispatched from the event loop.
 * See include/probe_pool.h for why probes run in processes. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "journal.h"
#include "probe_pool.h"
#include "probe_reply_check.h"
#include "probe_wire.h"
#include "xmalloc.h"

/* Devices that timed out once run only on these extra helpers, so that killing a helper for a
 * hung device never throws away the warm sessions of healthy ones. */
#define QUARANTINE_HELPERS 2
/* How long a helper whose socket closed may take to become reapable before its cause of death
 * is given as unknown. Its fds close a moment before it turns into a zombie. */
#define REAP_WAIT_MS 200
/* A job waits for the helper that holds its session until that helper has spent this long on
 * its current probe; then another helper takes it. Longer than opening a cold session (two TLS
 * handshakes, each with libimobiledevice 1.3.0's 100 ms sleep), so taking a job never costs
 * more than waiting would: with 50 ms, sessions migrated between helpers for several sweeps
 * after start-up (tests/bench/run.sh). */
#define AFFINITY_WAIT_MS 250
/* How far into the queue an idle helper looks for a job of its own. */
#define DISPATCH_SCAN 512
/* Slot hints the fleet keeps: HINT_QUARANTINE, or an ordinary slot tagged with the layout
 * (generation) it was given under, so a hint from before a Workers change means nothing. */
#define HINT_NONE       (-1)
#define HINT_QUARANTINE (-2)
#define HINT_STRIDE     1024 /* > the largest Workers */
#define HINT_LAYOUTS    (INT_MAX / HINT_STRIDE)

/* What an action job carries besides its device: op and whom to tell. */
struct action_job {
	uint32_t op; /* PROBE_OP_PROBE for a probe */
	probe_action_fn done;
	void *arg;
};

struct job {
	TAILQ_ENTRY(job) entry;
	char udid[UDID_MAX];
	struct action_job action;
	int slot;         /* the ordinary slot holding its session, -1 = none */
	bool quarantined; /* runs on quarantine slots only */
};
TAILQ_HEAD(job_queue, job);

struct helper {
	struct probe_pool *pool;
	int slot;
	pid_t pid; /* 0 = not running */
	int fd;
	struct event *readable;
	struct event *deadline;
	bool busy;
	uint32_t seq;
	char udid[UDID_MAX];      /* the device being probed while busy */
	struct action_job action; /* of the job it runs */
	int64_t started_ms;
	bool hello;      /* has said hello: it started (include/probe_wire.h) */
	bool dying;      /* its socket closed; waiting (briefly) to reap it for the cause */
	bool reaped;     /* died by itself and already waited for */
	int exit_status; /* from waitpid, when reaped */
};

struct probe_pool {
	struct event_base *base;
	struct probe_pool_options opts;
	struct probe_start start;
	probe_done_fn done;
	void *done_arg;
	int n_helpers; /* opts.workers + QUARANTINE_HELPERS */
	struct helper *helpers;
	struct job_queue queue;
	int n_queued;
	struct event *retry_dispatch;
	struct event *sigchld;
	pid_t *stopped; /* killed helpers not yet reaped */
	size_t n_stopped, cap_stopped;
	int layout; /* generation of the slot layout, for hints */
	struct probe_stats stats;
};

static void helper_readable(evutil_socket_t fd, short what, void *arg);
static void helper_deadline(evutil_socket_t fd, short what, void *arg);
static void dispatch(struct probe_pool *pool);

static bool is_action(uint32_t op)
{
	return op == PROBE_OP_ENABLE_BACKUP || op == PROBE_OP_RESTART;
}

static bool is_quarantine_slot(const struct probe_pool *pool, int slot)
{
	return slot >= pool->opts.workers && slot < pool->n_helpers;
}

static bool helper_start(struct helper *h)
{
	struct probe_pool *pool = h->pool;
	pid_t pid;
	int fd;
	if (!probe_start_spawn(&pool->start, &pid, &fd))
		return false;
	evutil_make_socket_nonblocking(fd);
	h->pid = pid;
	h->fd = fd;
	h->busy = false;
	h->hello = false;
	h->dying = false;
	h->reaped = false;
	h->readable = event_new(h->pool->base, h->fd, EV_READ | EV_PERSIST, helper_readable, h);
	h->deadline = evtimer_new(h->pool->base, helper_deadline, h);
	event_add(h->readable, NULL);
	return true;
}

/* Reaps the helpers we killed, and only those: a helper that died by itself stays a zombie
 * (its pid cannot be reused) until helper_stop sees its end, so kill never hits a stranger. */
static void reap_stopped(struct probe_pool *pool, bool wait_all)
{
	size_t kept = 0;
	for (size_t i = 0; i < pool->n_stopped; i++) {
		pid_t pid = pool->stopped[i];
		if (waitpid(pid, NULL, wait_all ? 0 : WNOHANG) == 0)
			pool->stopped[kept++] = pid;
	}
	pool->n_stopped = kept;
}

/* Ends a helper process; the SIGCHLD handler reaps it. */
static void helper_stop(struct helper *h)
{
	if (h->pid <= 0)
		return;
	struct probe_pool *pool = h->pool;
	if (!h->reaped) {
		kill(h->pid, SIGKILL);
		if (pool->n_stopped == pool->cap_stopped) {
			pool->cap_stopped = pool->cap_stopped ? pool->cap_stopped * 2 : 16;
			pool->stopped =
			    xreallocarray(pool->stopped, pool->cap_stopped, sizeof(pid_t));
		}
		pool->stopped[pool->n_stopped++] = h->pid;
	}
	event_free(h->readable);
	event_free(h->deadline);
	close(h->fd);
	h->readable = NULL;
	h->deadline = NULL;
	h->pid = 0;
	h->fd = -1;
	h->busy = false;
	h->dying = false;
}

static void finish_job(struct helper *h, const struct device_facts *facts, int served_by)
{
	struct probe_pool *pool = h->pool;
	h->busy = false;
	if (h->deadline)
		evtimer_del(h->deadline);
	probe_stats_record(&pool->stats, facts->status, clock_monotonic_ms() - h->started_ms);
	pool->done(pool->done_arg, facts, served_by);
}

/* Reports a probe whose helper is gone (killed, crashed, or stopped by a reload). */
static void report_lost_probe(struct probe_pool *pool, const char *udid, enum probe_status status,
                              const char *why, int hint)
{
	struct device_facts facts;
	facts_init(&facts, udid);
	facts.status = status;
	strlcpy_safe(facts.error, why, sizeof(facts.error));
	facts.probed_at_unix = clock_wall_unix();
	pool->done(pool->done_arg, &facts, hint);
}

static void report_lost_action(const struct action_job *action, const char *udid,
                               enum action_outcome outcome, const char *why)
{
	struct action_result result = {.outcome = outcome};
	strlcpy_safe(result.description, why, sizeof(result.description));
	action->done(action->arg, udid, &result);
}

/* The helper died or misbehaved while probing: report the device, replace the helper. */
static void helper_failed(struct helper *h, enum probe_status status, const char *why)
{
	bool was_busy = h->busy;
	char udid[UDID_MAX];
	strlcpy_safe(udid, h->udid, sizeof(udid));
	if (was_busy && !is_action(h->action.op))
		probe_stats_record(&h->pool->stats, status, clock_monotonic_ms() - h->started_ms);
	struct action_job action = h->action;
	helper_stop(h);
	helper_start(h); /* on failure pid stays 0 and dispatch retries */
	if (was_busy && is_action(action.op))
		report_lost_action(
		    &action, udid,
		    status == PROBE_UNRESPONSIVE ? ACTION_TIMED_OUT : ACTION_HELPER_LOST, why);
	else if (was_busy)
		/* A device that hung or crashed its helper goes to quarantine from now on. */
		report_lost_probe(h->pool, udid, status, why, HINT_QUARANTINE);
	dispatch(h->pool);
}

/* The helper is gone and reaped, or given up on: say how it ended. One that never said hello
 * could not start (a wrong binary, a crash at start-up): back off. */
static void helper_ended(struct helper *h)
{
	char how[96], why[160];
	probe_start_describe_end(h->reaped, h->exit_status, how, sizeof(how));
	if (!h->hello)
		probe_start_died_early(&h->pool->start, how);
	snprintf(why, sizeof(why), "probe helper %s while reading the device", how);
	helper_failed(h, PROBE_PROTOCOL_ERROR, why);
}

static bool helper_try_reap(struct helper *h)
{
	h->reaped = waitpid(h->pid, &h->exit_status, WNOHANG) == h->pid;
	return h->reaped;
}

/* The helper's end of the socket closed: it is exiting. Its cause of death is known once it
 * can be reaped: now, at the next SIGCHLD, or never (REAP_WAIT_MS, then unknown). */
static void helper_died(struct helper *h)
{
	event_del(h->readable);
	if (helper_try_reap(h)) {
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
	char why[160];
	snprintf(why, sizeof(why), "no answer within %lld ms (ProbeTimeout)",
	         (long long)h->pool->opts.timeout_ms);
	helper_failed(h, PROBE_UNRESPONSIVE, why);
}

/* The hint to give back for a probe served by slot. A quarantined device that answers again
 * may go back to any helper. */
static int served_hint(const struct probe_pool *pool, int slot, enum probe_status status)
{
	if (!is_quarantine_slot(pool, slot))
		return pool->layout * HINT_STRIDE + slot;
	return status == PROBE_OK ? HINT_NONE : HINT_QUARANTINE;
}

static void action_answered(struct helper *h, const void *bytes, size_t n)
{
	struct action_result result;
	char why[160];
	if (!action_reply_check(bytes, n, h->seq, &result, why, sizeof(why))) {
		log_warning("%s: %s; helper %d replaced", h->udid, why, (int)h->pid);
		helper_failed(h, PROBE_PROTOCOL_ERROR, why);
		return;
	}
	h->busy = false;
	evtimer_del(h->deadline);
	struct action_job action = h->action;
	h->action.op = PROBE_OP_PROBE;
	action.done(action.arg, h->udid, &result);
	dispatch(h->pool);
}

static void helper_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct helper *h = arg;
	_Alignas(struct probe_reply) unsigned char
	    bytes[sizeof(struct probe_reply) + sizeof(struct action_reply)];
	ssize_t n = recv(fd, bytes, sizeof(bytes), MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 0) {
		helper_died(h);
		return;
	}
	if (n == (ssize_t)sizeof(struct probe_hello)) {
		struct probe_hello hello;
		memcpy(&hello, bytes, sizeof(hello));
		if (hello.magic == PROBE_HELLO_MAGIC) {
			if (!h->hello)
				probe_start_answered(&h->pool->start);
			h->hello = true;
			return;
		}
	}
	if (n < 0 || !h->busy) {
		helper_failed(h, PROBE_PROTOCOL_ERROR,
		              n < 0 ? "probe helper connection failed"
		                    : "probe helper sent a reply nobody asked for");
		return;
	}
	if (is_action(h->action.op)) {
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
		log_warning("%s: %s; helper %d replaced", h->udid, why, (int)h->pid);
		helper_failed(h, PROBE_PROTOCOL_ERROR, why);
		return;
	}
	finish_job(h, &facts, served_hint(h->pool, h->slot, facts.status));
	dispatch(h->pool);
}

static bool helper_send(struct helper *h, uint32_t op, const char *udid)
{
	struct probe_request req = {
	    .magic = PROBE_WIRE_MAGIC,
	    .op = op,
	    /* FORGET has no reply: it must not change the seq a busy helper will answer. */
	    .seq = op != PROBE_OP_FORGET ? ++h->seq : h->seq,
	    /* The helper's own limits end a slow call a little before we kill it. */
	    .timeout_ms = (uint32_t)(h->pool->opts.timeout_ms * 3 / 4),
	};
	strlcpy_safe(req.udid, udid, sizeof(req.udid));
	return send(h->fd, &req, sizeof(req), MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)sizeof(req);
}

static void helper_run(struct helper *h, struct job *job)
{
	struct probe_pool *pool = h->pool;
	TAILQ_REMOVE(&pool->queue, job, entry);
	pool->n_queued--;
	strlcpy_safe(h->udid, job->udid, sizeof(h->udid));
	h->action = job->action;
	free(job);
	h->busy = true;
	h->started_ms = clock_monotonic_ms();
	struct timeval limit = clock_timeval_ms(pool->opts.timeout_ms);
	evtimer_add(h->deadline, &limit);
	if (!helper_send(h, h->action.op, h->udid))
		helper_failed(h, PROBE_PROTOCOL_ERROR,
		              "could not send the request to a probe helper");
}

/* Whether idle helper h should take job now. */
static bool job_fits(const struct probe_pool *pool, const struct helper *h, const struct job *job,
                     int64_t now)
{
	if (job->quarantined || is_quarantine_slot(pool, h->slot))
		return job->quarantined && is_quarantine_slot(pool, h->slot);
	if (job->slot < 0 || job->slot == h->slot)
		return true;
	const struct helper *owner = &pool->helpers[job->slot];
	if (owner->pid <= 0)
		return true;
	if (!owner->busy)
		return false; /* the owner is idle and takes it in the same pass */
	/* A long queue of quick probes is no reason to move: only an owner stuck on one. */
	return now - owner->started_ms >= AFFINITY_WAIT_MS;
}

static struct job *find_job(struct probe_pool *pool, const struct helper *h, int64_t now)
{
	int scanned = 0;
	struct job *job;
	TAILQ_FOREACH(job, &pool->queue, entry)
	{
		if (job_fits(pool, h, job, now))
			return job;
		if (++scanned >= DISPATCH_SCAN)
			break;
	}
	return NULL;
}

/* A job taken from the helper holding its session: that helper closes the session when its
 * current probe ends (FORGET waits in its socket), so no device keeps two sessions open. */
static void take_job(struct probe_pool *pool, struct helper *h, struct job *job)
{
	if (job->slot >= 0 && job->slot != h->slot) {
		struct helper *owner = &pool->helpers[job->slot];
		if (owner->pid > 0)
			helper_send(owner, PROBE_OP_FORGET, job->udid);
	}
	helper_run(h, job);
}

static void dispatch(struct probe_pool *pool)
{
	int64_t now = clock_monotonic_ms();
	bool idle_left = false, not_started = false;
	for (int i = 0; i < pool->n_helpers && pool->n_queued > 0; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->pid <= 0 && !helper_start(h)) {
			not_started = true; /* retried by the timer below */
			continue;
		}
		if (h->busy || h->dying)
			continue;
		struct job *job = find_job(pool, h, now);
		if (job)
			take_job(pool, h, job);
		else
			idle_left = true;
	}
	/* Jobs waiting for a busy owner may become free for all after AFFINITY_WAIT_MS; helpers
	 * that did not start are tried again when the back-off allows. */
	int64_t wait_ms = AFFINITY_WAIT_MS;
	if (not_started && !idle_left && probe_start_wait_ms(&pool->start) > wait_ms)
		wait_ms = probe_start_wait_ms(&pool->start);
	if ((idle_left || not_started) && pool->n_queued > 0 &&
	    !evtimer_pending(pool->retry_dispatch, NULL)) {
		struct timeval soon = clock_timeval_ms(wait_ms);
		evtimer_add(pool->retry_dispatch, &soon);
	}
}

static void retry_dispatch(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch(arg);
}

static void on_sigchld(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct probe_pool *pool = arg;
	reap_stopped(pool, false);
	for (int i = 0; i < pool->n_helpers; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->dying && helper_try_reap(h))
			helper_ended(h);
	}
}

static void init_slots(struct probe_pool *pool)
{
	for (int i = 0; i < pool->n_helpers; i++)
		pool->helpers[i] = (struct helper){.pool = pool, .slot = i, .fd = -1};
}

struct probe_pool *probe_pool_new(struct event_base *base, const struct probe_pool_options *opts,
                                  probe_done_fn done, void *arg)
{
	struct probe_pool *pool = xcalloc(1, sizeof(*pool));
	pool->base = base;
	pool->opts = *opts;
	probe_start_init(&pool->start, opts->helper_exe);
	pool->opts.helper_exe = NULL;
	pool->done = done;
	pool->done_arg = arg;
	TAILQ_INIT(&pool->queue);
	pool->n_helpers = opts->workers + QUARANTINE_HELPERS;
	pool->helpers = xcalloc((size_t)pool->n_helpers, sizeof(*pool->helpers));
	init_slots(pool);
	pool->retry_dispatch = evtimer_new(base, retry_dispatch, pool);
	pool->sigchld = evsignal_new(base, SIGCHLD, on_sigchld, pool);
	event_add(pool->sigchld, NULL);
	return pool;
}

/* The ordinary slot a hint names in today's layout, or -1. */
static int hint_slot(const struct probe_pool *pool, int hint)
{
	if (hint < 0 || hint / HINT_STRIDE != pool->layout)
		return -1;
	int slot = hint % HINT_STRIDE;
	return slot < pool->opts.workers ? slot : -1;
}

const struct probe_stats *probe_pool_stats(const struct probe_pool *pool)
{
	return &pool->stats;
}

void probe_pool_submit(struct probe_pool *pool, const char *udid, int hint)
{
	struct job *job = xcalloc(1, sizeof(*job));
	strlcpy_safe(job->udid, udid, sizeof(job->udid));
	job->action.op = PROBE_OP_PROBE;
	job->quarantined = hint == HINT_QUARANTINE;
	job->slot = hint_slot(pool, hint);
	TAILQ_INSERT_TAIL(&pool->queue, job, entry);
	pool->n_queued++;
	dispatch(pool);
}

void probe_pool_submit_action(struct probe_pool *pool, const char *udid, uint32_t op,
                              probe_action_fn done, void *arg)
{
	struct job *job = xcalloc(1, sizeof(*job));
	strlcpy_safe(job->udid, udid, sizeof(job->udid));
	job->action = (struct action_job){.op = op, .done = done, .arg = arg};
	job->slot = -1;
	TAILQ_INSERT_TAIL(&pool->queue, job, entry);
	pool->n_queued++;
	dispatch(pool);
}

bool probe_pool_running(const struct probe_pool *pool, const char *udid)
{
	for (int i = 0; i < pool->n_helpers; i++) {
		const struct helper *h = &pool->helpers[i];
		if (h->pid > 0 && h->busy && !is_action(h->action.op) && strcmp(h->udid, udid) == 0)
			return true;
	}
	return false;
}

bool probe_pool_forget(struct probe_pool *pool, const char *udid)
{
	bool dropped = false;
	struct job *job, *next;
	for (job = TAILQ_FIRST(&pool->queue); job; job = next) {
		next = TAILQ_NEXT(job, entry);
		if (strcmp(job->udid, udid) == 0 && !is_action(job->action.op)) {
			TAILQ_REMOVE(&pool->queue, job, entry);
			pool->n_queued--;
			free(job);
			dropped = true;
		}
	}
	/* Idle helpers drop the cached session now; a busy one finds it broken by itself. */
	for (int i = 0; i < pool->n_helpers; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->pid > 0 && !h->busy)
			helper_send(h, PROBE_OP_FORGET, udid);
	}
	return dropped;
}

void probe_pool_reconfigure(struct probe_pool *pool, const struct probe_pool_options *opts)
{
	pool->opts.timeout_ms = opts->timeout_ms;
	if (opts->workers == pool->opts.workers)
		return;
	/* Stop and resize first, report the lost probes after: their callbacks may submit and
	 * dispatch again, which must see the new helper array only. */
	int n_old = pool->n_helpers;
	struct lost {
		char udid[UDID_MAX];
		bool quarantined;
		struct action_job action;
	} *lost = xcalloc((size_t)n_old, sizeof(*lost));
	int n_lost = 0;
	for (int i = 0; i < n_old; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->busy) {
			strlcpy_safe(lost[n_lost].udid, h->udid, UDID_MAX);
			lost[n_lost].action = h->action;
			lost[n_lost++].quarantined = is_quarantine_slot(pool, h->slot);
		}
		helper_stop(h);
	}
	pool->opts.workers = opts->workers;
	pool->n_helpers = opts->workers + QUARANTINE_HELPERS;
	pool->helpers =
	    xreallocarray(pool->helpers, (size_t)pool->n_helpers, sizeof(*pool->helpers));
	init_slots(pool);
	/* Old hints now name other slots: queued jobs and the fleet's hints forget them, and a
	 * quarantined device stays quarantined. */
	pool->layout = (pool->layout + 1) % HINT_LAYOUTS;
	struct job *job;
	TAILQ_FOREACH(job, &pool->queue, entry)
	job->slot = -1;
	for (int i = 0; i < n_lost; i++)
		if (is_action(lost[i].action.op))
			report_lost_action(&lost[i].action, lost[i].udid, ACTION_HELPER_LOST,
			                   "action cancelled by reload (Workers changed)");
		else
			report_lost_probe(pool, lost[i].udid, PROBE_NOT_YET,
			                  "probe cancelled by reload",
			                  lost[i].quarantined ? HINT_QUARANTINE : HINT_NONE);
	free(lost);
	dispatch(pool);
}

void probe_pool_free(struct probe_pool *pool)
{
	if (!pool)
		return;
	/* Wait for each killed helper, so none outlives the daemon (systemd would count it as
	 * left over at stop). SIGKILL makes that wait short. */
	for (int i = 0; i < pool->n_helpers; i++)
		helper_stop(&pool->helpers[i]);
	reap_stopped(pool, true); /* SIGKILLed: short */
	free(pool->stopped);
	probe_start_close(&pool->start);
	struct job *job;
	while ((job = TAILQ_FIRST(&pool->queue))) {
		TAILQ_REMOVE(&pool->queue, job, entry);
		free(job);
	}
	event_free(pool->retry_dispatch);
	event_free(pool->sigchld);
	free(pool->helpers);
	free(pool);
}

void probe_pool_health(const struct probe_pool *pool, struct probe_start_health *out)
{
	probe_start_health(&pool->start, out);
}
