/* SPDX-License-Identifier: ISC */
/* One backupctl action request on the loop: an action job per phone in the probe helpers
 * (probe_pool_submit_action), each outcome journaled, then a fresh probe of the phones, and
 * one reply with the outcomes and the phones' new verdicts.
 *
 * A restart goes on after the phone accepted: the phone is "restarting" until it detaches
 * and attaches again (hotplug events), then it is probed at once; a phone not back within
 * RestartTimeout is reported (journal action.restart_overdue) and the reply says so. */
#ifndef BACKUPD_ACTION_REQUEST_H
#define BACKUPD_ACTION_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include <jansson.h>

#include "action_kinds.h"
#include "hotplug.h"

struct control_client;
struct event_base;
struct fleet;
struct probe_pool;
struct action_request;

/* Answers client: the phones' status, as the status verb shows udids (n of them), with
 * outcomes (a JSON array, the reference passed on) added as "actions". The daemon wires it;
 * the actions build no status of their own. */
typedef void (*action_reply_fn)(void *arg, struct control_client *client, const char *const *udids,
                                size_t n, json_t *outcomes);

struct action_ctx {
	struct event_base *base;
	struct fleet *fleet;     /* the records: names, attached, pairing, restarting */
	struct probe_pool *pool; /* runs the actions in its helpers */
	action_reply_fn reply;   /* answers a request that came from backupctl */
	void *reply_arg;
	int64_t restart_timeout_ms;
	int64_t probe_timeout_ms;
	/* Runs on the loop after a request has answered (not at shutdown); may be NULL. */
	void (*finished)(void *arg);
	void *finished_arg;
	LIST_HEAD(action_requests, action_request) requests;
};

/* udids: resolved UDIDs of known phones (attached or not), each once; a phone another
 * request still has is not acted on (outcome "busy"). Takes a reference on client and
 * answers it once every phone has an outcome; client NULL (automation): no answer. */
void action_request_start(struct action_ctx *ctx, enum action_kind kind, uid_t uid,
                          struct control_client *client, const char *const *udids, size_t n);
void action_request_hotplug(struct action_ctx *ctx, enum hotplug_kind kind, const char *udid);
/* Whether a request is still at udid (not counting phones it found busy). */
bool action_request_busy(const struct action_ctx *ctx, const char *udid);
/* Restarts asked of a phone and not over: the helper is at it, or the phone has not come
 * back (or been given up on) yet. */
size_t action_request_restarts_in_flight(const struct action_ctx *ctx);
/* At shutdown, after the fleet is gone: frees what is left without answering. */
void action_request_free_all(struct action_ctx *ctx);

#endif
