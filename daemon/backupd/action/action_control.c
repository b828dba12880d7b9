/* SPDX-License-Identifier: ISC */
/* See action_control.h. The dispatcher (control.c) has checked a request's form (its phones
 * named, or "all") and its asker (action_authorize) before a verb here runs. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "action_auth.h"
#include "action_auto.h"
#include "action_control.h"
#include "action_journal.h"
#include "action_pair_auto.h"
#include "action_request.h"
#include "fleet.h"
#include "journal.h"
#include "xmalloc.h"

struct actions {
	struct action_ctx ctx;
	struct action_auth auth;
	struct action_auto *automatic; /* AutoEnableBackup, AutoRestart */
	struct pair_auto *pairing;     /* AutoPair */
	int auto_pair;
	bool have_identity;
};

static void apply_config(struct actions *actions, const struct backupd_config *config)
{
	action_auth_configure(&actions->auth, config);
	actions->ctx.restart_timeout_ms = config->restart_timeout_ms;
	actions->ctx.probe_timeout_ms = config->probe_timeout_ms;
	struct action_auto_config automatic = {.enable_backup = config->auto_enable_backup == 1,
	                                       .restart = config->auto_restart,
	                                       .restart_max = config->auto_restart_max};
	action_auto_set(actions->automatic, &automatic);
	actions->auto_pair = config->auto_pair;
	if (actions->pairing)
		pair_auto_set(actions->pairing, actions->auto_pair, actions->have_identity);
}

/* Candidates listed for an ambiguous name: enough to pick one by its UDID. */
#define CANDIDATES_MAX 8

/* Appends "NAME (UDID, UDID)" for a name several phones share. */
static void add_ambiguous(json_t *ambiguous, const char *name, const char *const *udids, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n && i < CANDIDATES_MAX; i++)
		json_array_append_new(list, json_string(udids[i]));
	json_object_set_new(ambiguous, name, list);
}

/* The refusal of names that match no phone or several: each named, candidates listed. */
static void reply_unresolved(struct control_client *client, json_t *unmatched, json_t *ambiguous)
{
	char text[1024] = "";
	size_t used = 0;
	if (json_array_size(unmatched) > 0)
		used += (size_t)snprintf(text, sizeof(text), "no such device: ");
	for (size_t i = 0; i < json_array_size(unmatched) && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", i ? ", " : "",
		                         json_string_value(json_array_get(unmatched, i)));
	const char *name;
	json_t *udids;
	json_object_foreach(ambiguous, name, udids)
	{
		if (used >= sizeof(text))
			break;
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		                         "%s\"%s\" names %zu phones, name one by its UDID:",
		                         used ? "; " : "", name, json_array_size(udids));
		for (size_t i = 0; i < json_array_size(udids) && used < sizeof(text); i++)
			used += (size_t)snprintf(text + used, sizeof(text) - used, " %s",
			                         json_string_value(json_array_get(udids, i)));
	}
	control_client_reply(client, json_pack("{s:b, s:s, s:o, s:o}", "ok", 0, "error", text,
	                                       "unmatched", unmatched, "ambiguous", ambiguous));
}

/* Adds udid to udids[0..*n) unless there: a phone named twice (by UDID and by name, or
 * twice over) is one phone with one action and one outcome. */
static void add_once(const char **udids, size_t *n, const char *udid)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(udids[i], udid) == 0)
			return;
	udids[(*n)++] = udid;
}

static const char **resolve_all(struct actions *actions, size_t *n)
{
	size_t n_records;
	const struct device_record *const *records = fleet_records(actions->ctx.fleet, &n_records);
	const char **udids = xcalloc(n_records ? n_records : 1, sizeof(*udids));
	*n = 0;
	for (size_t i = 0; i < n_records; i++)
		if (records[i]->attached)
			udids[(*n)++] = records[i]->udid;
	return udids;
}

/* The named phones, each once; NULL with a reply sent when a name matches none or several. */
static const char **resolve_named(struct actions *actions, struct control_client *client,
                                  const json_t *list, size_t count, size_t *n)
{
	const char **udids = xcalloc(count, sizeof(*udids));
	json_t *unmatched = json_array(), *ambiguous = json_object();
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const char *name = json_string_value(json_array_get(list, i));
		const char *found[CANDIDATES_MAX];
		size_t matches =
		    name ? fleet_matches(actions->ctx.fleet, name, found, CANDIDATES_MAX) : 0;
		if (matches == 1)
			add_once(udids, n, found[0]);
		else if (matches == 0)
			json_array_append_new(unmatched, json_string(name ? name : "?"));
		else
			add_ambiguous(ambiguous, name, found, matches);
	}
	if (json_array_size(unmatched) == 0 && json_object_size(ambiguous) == 0) {
		json_decref(unmatched);
		json_decref(ambiguous);
		return udids;
	}
	free(udids);
	reply_unresolved(client, unmatched, ambiguous);
	return NULL;
}

/* The named phones, resolved; NULL with a reply sent when a name matches none or several. */
static const char **resolve(struct actions *actions, struct control_client *client,
                            const json_t *request, size_t *n)
{
	if (json_is_true(json_object_get(request, "all")))
		return resolve_all(actions, n);
	const json_t *list = json_object_get(request, "devices");
	return resolve_named(actions, client, list, json_array_size(list), n);
}

static void serve(struct actions *actions, enum action_kind kind, struct control_client *client,
                  const json_t *request)
{
	size_t n = 0;
	const char **udids = resolve(actions, client, request, &n);
	if (!udids)
		return;
	action_request_start(&actions->ctx, kind, control_client_uid(client), client, udids, n);
	free(udids);
}

/* One handler per line of ACTION_TABLE (action_names.h): a handler gets no verb, so each
 * knows its kind. */
#define HANDLER(kind, name, op, done, message, id)                                                 \
	static void verb_##kind(void *arg, struct control_client *client, const json_t *request)   \
	{                                                                                          \
		serve(arg, ACTION_KIND_##kind, client, request);                                   \
	}
ACTION_TABLE(HANDLER)

/* The action verbs, indexed by their enum action_kind (action_authorize reads it back). */
#define VERB(kind, name, op, done, message, id)                                                    \
	[ACTION_KIND_##kind] = {name, CONTROL_ACTION, CONTROL_ARGS_PHONES, verb_##kind},
static const struct control_verb verbs[ACTION_KIND_COUNT] = {ACTION_TABLE(VERB)};

/* Who may ask ([Actions] Allow=, ActionGroup=); a refusal is journaled. */
static bool action_authorize(void *arg, const struct control_verb *verb,
                             struct control_client *client, char *why, size_t why_size)
{
	struct actions *actions = arg;
	enum action_kind kind = (enum action_kind)(verb - verbs);
	if (action_auth_check(&actions->auth, kind, client, why, why_size))
		return true;
	action_journal_refused(action_kind_names[kind], control_client_uid(client), why);
	return false;
}

/* A restart that is over leaves room under AutoRestartMax=; a pairing that ended may be
 * retried. */
static void request_finished(void *arg)
{
	struct actions *actions = arg;
	action_auto_scan_soon(actions->automatic);
}

struct actions *actions_new(struct event_base *base, const struct actions_wiring *wiring,
                            const struct backupd_config *config)
{
	struct actions *actions = xcalloc(1, sizeof(*actions));
	actions->ctx.base = base;
	actions->ctx.fleet = wiring->fleet;
	actions->ctx.pool = wiring->pool;
	actions->ctx.reply = wiring->reply;
	actions->ctx.reply_arg = wiring->reply_arg;
	LIST_INIT(&actions->ctx.requests);
	action_auth_init(&actions->auth, base);
	actions->automatic = action_auto_new(&actions->ctx);
	actions->pairing = pair_auto_new(&actions->ctx);
	actions->ctx.finished = request_finished;
	actions->ctx.finished_arg = actions;
	apply_config(actions, config);
	return actions;
}

void actions_reconfigure(struct actions *actions, const struct backupd_config *config)
{
	apply_config(actions, config);
}

void actions_changed(struct actions *actions)
{
	action_auto_scan_soon(actions->automatic);
	pair_auto_scan_soon(actions->pairing);
}

void actions_hotplug(struct actions *actions, enum hotplug_kind kind, const char *udid)
{
	action_request_hotplug(&actions->ctx, kind, udid);
	pair_auto_hotplug(actions->pairing, kind, udid);
}

unsigned actions_set_identity(struct actions *actions, bool have_identity)
{
	actions->have_identity = have_identity;
	pair_auto_set(actions->pairing, actions->auto_pair, have_identity);
	bool probes_pair = actions->auto_pair == AUTO_PAIR_TRUST ||
	                   (actions->auto_pair == AUTO_PAIR_SUPERVISED && !have_identity);
	return probes_pair ? 0 : PROBE_FLAG_NO_PAIR;
}

struct control_verb_set actions_verbs(struct actions *actions)
{
	return (struct control_verb_set){verbs, CONTROL_VERBS_OF(verbs), actions, action_authorize};
}

void actions_free(struct actions *actions)
{
	if (!actions)
		return;
	action_request_free_all(&actions->ctx);
	action_auto_free(actions->automatic);
	action_auth_free(&actions->auth);
	pair_auto_free(actions->pairing);
	free(actions);
}
