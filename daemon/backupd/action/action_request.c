/* SPDX-License-Identifier: ISC */
/* See action_request.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "action_journal.h"
#include "action_request.h"
#include "clock.h"
#include "control.h"
#include "fleet.h"
#include "probe_pool.h"
#include "xmalloc.h"

/* After the actions, the phones are probed again; the reply waits this long at most. */
#define REPROBE_LIMIT_MS 30000

enum item_phase {
	PHASE_RUNNING,  /* the helper is at it */
	PHASE_AWAY,     /* restart accepted; waiting for the phone to leave and come back */
	PHASE_BACK,     /* restarted phone attached again */
	PHASE_FINISHED, /* outcome final */
};

struct action_item {
	struct action_request *req;
	char udid[UDID_MAX];
	char name[64];
	enum item_phase phase;
	bool detached_seen;
	enum action_outcome outcome;
	int code;
	char message[400];
};

struct action_request {
	LIST_ENTRY(action_request) entry;
	struct action_ctx *ctx;
	struct control_client *client;
	enum action_kind kind;
	uid_t uid;
	struct action_item *items;
	size_t n, n_running; /* n_running: items not yet FINISHED or BACK */
	struct event *restart_deadline;
	bool reprobing;
	bool starting; /* items still being started: an outcome reported at once must not end it */
};

static void journal_item(const struct action_item *item, const char *state)
{
	struct action_journal_phone p = {.udid = item->udid,
	                                 .name = item->name,
	                                 .outcome = item->outcome,
	                                 .code = item->code,
	                                 .message = item->message};
	action_journal_phone(item->req->kind, item->req->uid, &p, state);
}

static void request_free(struct action_request *req)
{
	LIST_REMOVE(req, entry);
	if (req->restart_deadline)
		event_free(req->restart_deadline);
	if (req->client)
		control_client_unref(req->client);
	free(req->items);
	free(req);
}

static json_t *items_json(const struct action_request *req)
{
	json_t *list = json_array();
	for (size_t i = 0; i < req->n; i++) {
		const struct action_item *item = &req->items[i];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "udid",
		                                      item->udid, "name", item->name, "action",
		                                      action_kind_names[req->kind], "outcome",
		                                      action_outcome_word(item->outcome), "message",
		                                      item->message, "code", item->code));
	}
	return list;
}

static void request_finished(struct action_request *req)
{
	struct action_ctx *ctx = req->ctx;
	request_free(req);
	if (ctx->finished)
		ctx->finished(ctx->finished_arg);
}

static void reply_and_free(struct action_request *req)
{
	if (!req->client) { /* automation: the journal is its only answer */
		request_finished(req);
		return;
	}
	const char **udids = xcalloc(req->n ? req->n : 1, sizeof(*udids));
	for (size_t i = 0; i < req->n; i++)
		udids[i] = req->items[i].udid;
	req->ctx->reply(req->ctx->reply_arg, req->client, udids, req->n, items_json(req));
	free(udids);
	request_finished(req);
}

static void reprobed(void *arg, int refreshed, int timed_out)
{
	(void)refreshed;
	(void)timed_out;
	reply_and_free(arg);
}

/* Every phone has its outcome (restarts: back or overdue): probe them once more, answer. */
static void maybe_finish(struct action_request *req)
{
	if (req->n_running > 0 || req->reprobing || req->starting)
		return;
	req->reprobing = true;
	if (req->restart_deadline)
		evtimer_del(req->restart_deadline);
	const char **udids = xcalloc(req->n ? req->n : 1, sizeof(*udids));
	size_t n = 0;
	for (size_t i = 0; i < req->n; i++)
		if (req->items[i].outcome == ACTION_DONE)
			udids[n++] = req->items[i].udid;
	if (n == 0)
		reply_and_free(req);
	else
		fleet_refresh(req->ctx->fleet, udids, n, REPROBE_LIMIT_MS, reprobed, req);
	free(udids);
}

static void item_finish(struct action_item *item, enum action_outcome outcome, int code,
                        const char *description)
{
	if (item->phase == PHASE_AWAY)
		fleet_set_restarting(item->req->ctx->fleet, item->udid, false);
	item->phase = PHASE_FINISHED;
	item->outcome = outcome;
	item->code = code;
	action_outcome_message(item->req->kind, outcome, code, description, item->message,
	                       sizeof(item->message));
	journal_item(item, action_outcome_word(outcome));
	item->req->n_running--;
}

static void restart_overdue(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct action_request *req = arg;
	char limit[96];
	snprintf(limit, sizeof(limit), "not attached again after %lld s",
	         (long long)(req->ctx->restart_timeout_ms / 1000));
	for (size_t i = 0; i < req->n; i++)
		if (req->items[i].phase == PHASE_AWAY)
			item_finish(&req->items[i], ACTION_NOT_BACK, 0, limit);
	maybe_finish(req);
}

static void restart_accepted(struct action_item *item)
{
	struct action_request *req = item->req;
	item->phase = PHASE_AWAY;
	snprintf(item->message, sizeof(item->message),
	         "restarting; expected back within %lld s (RestartTimeout)",
	         (long long)(req->ctx->restart_timeout_ms / 1000));
	journal_item(item, "restarting");
	fleet_set_restarting(req->ctx->fleet, item->udid, true);
	if (!req->restart_deadline)
		req->restart_deadline = evtimer_new(req->ctx->base, restart_overdue, req);
	if (!evtimer_pending(req->restart_deadline, NULL)) {
		struct timeval tv = clock_timeval_ms(req->ctx->restart_timeout_ms);
		evtimer_add(req->restart_deadline, &tv);
	}
}

/* A pairing's outcome is also the phone's pairing state (status, metrics). */
static void note_pairing(struct action_item *item, const struct action_result *result)
{
	struct fleet *fleet = item->req->ctx->fleet;
	const struct device_record *rec = fleet_record(fleet, item->udid);
	if (!rec)
		return;
	struct pair_memory memory = rec->pairing;
	enum pair_state state =
	    action_pair_state((enum action_outcome)result->outcome, result->supervised);
	if (state != memory.state)
		memory.since_unix = clock_wall_unix();
	memory.state = state;
	strlcpy_safe(memory.reason,
	             result->outcome == ACTION_DONE ? pair_state_meaning(state) : item->message,
	             sizeof(memory.reason));
	fleet_set_pairing(fleet, item->udid, &memory);
}

static void action_done(void *arg, const char *udid, const struct action_result *result)
{
	(void)udid;
	struct action_item *item = arg;
	if (item->req->kind == ACTION_KIND_PAIR) {
		/* How it was paired is the daemon's own knowledge (it signed or not). */
		const char *how = result->supervised ? "supervised" : "trusted";
		item_finish(item, (enum action_outcome)result->outcome, result->code,
		            result->outcome == ACTION_DONE ? how : result->description);
		note_pairing(item, result);
	} else if (item->req->kind == ACTION_KIND_RESTART && result->outcome == ACTION_DONE)
		restart_accepted(item);
	else
		item_finish(item, (enum action_outcome)result->outcome, result->code,
		            result->description);
	maybe_finish(item->req);
}

/* busy: another request has this phone; it gets no second action (one phone restarted
 * twice by two requests, one of them reporting a phone that came back as not back). */
static void item_init(struct action_request *req, struct action_item *item, const char *udid,
                      bool busy)
{
	item->req = req;
	strlcpy_safe(item->udid, udid, sizeof(item->udid));
	const struct device_record *rec = fleet_record(req->ctx->fleet, udid);
	if (rec)
		strlcpy_safe(item->name, rec->facts.name, sizeof(item->name));
	item->phase = PHASE_RUNNING;
	req->n_running++;
	if (busy)
		item_finish(item, ACTION_BUSY, 0, "");
	else if (!rec || !rec->attached)
		item_finish(item, ACTION_NOT_ATTACHED, 0, "");
	else
		probe_pool_submit_action(req->ctx->pool, udid, action_kind_op(req->kind),
		                         action_done, item);
}

void action_request_start(struct action_ctx *ctx, enum action_kind kind, uid_t uid,
                          struct control_client *client, const char *const *udids, size_t n)
{
	struct action_request *req = xcalloc(1, sizeof(*req));
	req->ctx = ctx;
	req->client = client;
	if (client)
		control_client_ref(client);
	req->kind = kind;
	req->uid = uid;
	req->n = n;
	req->items = xcalloc(n ? n : 1, sizeof(*req->items));
	bool *busy = xcalloc(n ? n : 1, sizeof(*busy));
	for (size_t i = 0; i < n; i++) /* before this request joins the list */
		busy[i] = action_request_busy(ctx, udids[i]);
	LIST_INSERT_HEAD(&ctx->requests, req, entry);
	req->n_running = 0;
	req->starting = true;
	for (size_t i = 0; i < n; i++)
		item_init(req, &req->items[i], udids[i], busy[i]);
	free(busy);
	req->starting = false;
	maybe_finish(req);
}

/* A restarted phone left (expected) or came back: then it is probed at once by the fleet
 * (an attach always starts a probe) and again before the reply. */
static void item_hotplug(struct action_item *item, enum hotplug_kind kind)
{
	if (item->phase != PHASE_AWAY)
		return;
	if (kind == HOTPLUG_DETACHED) {
		item->detached_seen = true;
	} else if (kind == HOTPLUG_ATTACHED && item->detached_seen) {
		fleet_set_restarting(item->req->ctx->fleet, item->udid, false);
		item->phase = PHASE_BACK;
		item->outcome = ACTION_DONE;
		action_outcome_message(item->req->kind, ACTION_DONE, 0, "", item->message,
		                       sizeof(item->message));
		journal_item(item, "back");
		item->req->n_running--;
		maybe_finish(item->req);
	}
}

void action_request_hotplug(struct action_ctx *ctx, enum hotplug_kind kind, const char *udid)
{
	struct action_request *req, *next;
	for (req = LIST_FIRST(&ctx->requests); req; req = next) {
		next = LIST_NEXT(req, entry); /* maybe_finish may free req */
		for (size_t i = 0; i < req->n; i++)
			if (strcmp(req->items[i].udid, udid) == 0) {
				item_hotplug(&req->items[i], kind);
				break;
			}
	}
}

bool action_request_busy(const struct action_ctx *ctx, const char *udid)
{
	const struct action_request *req;
	LIST_FOREACH(req, &ctx->requests, entry)
	for (size_t i = 0; i < req->n; i++)
		if (req->items[i].outcome != ACTION_BUSY && strcmp(req->items[i].udid, udid) == 0)
			return true;
	return false;
}

size_t action_request_restarts_in_flight(const struct action_ctx *ctx)
{
	size_t n = 0;
	const struct action_request *req;
	LIST_FOREACH(req, &ctx->requests, entry)
	if (req->kind == ACTION_KIND_RESTART)
		for (size_t i = 0; i < req->n; i++)
			n += req->items[i].phase == PHASE_RUNNING ||
			     req->items[i].phase == PHASE_AWAY;
	return n;
}

void action_request_free_all(struct action_ctx *ctx)
{
	while (!LIST_EMPTY(&ctx->requests))
		request_free(LIST_FIRST(&ctx->requests));
}
