/* SPDX-License-Identifier: ISC */
/* control_verbs: the read-only verbs, answered from the fleet's current state (version: from
 * the process itself). Only refresh waits, and it waits on the loop (the fleet calls back), never
 * on device I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "control.h"
#include "control_protocol.h"
#include "control_request.h"
#include "control_verbs.h"
#include "fleet.h"
#include "metrics_process.h"
#include "probe_pool.h"
#include "feed_json.h"
#include "slot_json.h"
#include "status_stream.h"
#include "version.h"
#include "xmalloc.h"

/* A refresh answers when its probes finish or after this long, whichever is first. */
#define REFRESH_LIMIT_MS 30000

static json_t *probe_helpers_json(const struct control_sources *sources)
{
	struct probe_start_health health;
	probe_pool_health(sources->pool, &health);
	return json_pack("{s:b, s:s, s:o, s:I, s:I}", "failing", health.failing, "reason",
	                 health.reason, "since",
	                 health.failing ? json_integer(health.since_unix) : json_null(),
	                 "spawn_attempts", (json_int_t)health.spawn_attempts, "retry_in_ms",
	                 (json_int_t)health.retry_in_ms);
}

static void verb_status(void *arg, struct control_client *client, const json_t *request)
{
	struct control_sources *sources = arg;
	size_t n_filters;
	const char *bad;
	const char **filters = control_request_devices(request, &n_filters, &bad); /* checked */
	struct status_shape shape = {0};
	if (!device_fields_from_request(json_object_get(request, "fields"), &shape.fields, &bad)) {
		free(filters);
		control_client_reply_error(client, bad);
		return;
	}
	shape.detail = json_is_true(json_object_get(request, "detail"));
	shape.rows = json_is_true(json_object_get(request, "rows")) && !shape.detail;
	json_t *extra = json_pack("{s:o}", "probe_helpers", probe_helpers_json(sources));
	status_stream_reply(client, sources->fleet, &sources->config->port_names, filters,
	                    n_filters, shape, extra);
	free(filters);
}

static void verb_feed(void *arg, struct control_client *client, const json_t *request)
{
	(void)request;
	const struct control_sources *sources = arg;
	json_t *reply = json_pack("{s:b,s:I,s:o}", "ok", 1, "now", (json_int_t)clock_wall_unix(),
	                          "feed", feed_json(fleet_feed(sources->fleet)));
	control_client_reply(client, reply);
}

/* Which backupd answers, and since when: after an upgrade, whether it was restarted. */
static void verb_version(void *arg, struct control_client *client, const json_t *request)
{
	(void)arg;
	(void)request;
	struct process_stats process;
	metrics_process_read(&process);
	json_t *started = isnan(process.start_time_unix)
	                      ? json_null()
	                      : json_integer((json_int_t)process.start_time_unix);
	control_client_reply(
	    client, json_pack("{s:b, s:s, s:i, s:I, s:o, s:I}", "ok", 1, "version", BACKUPD_VERSION,
	                      "protocol", CONTROL_PROTOCOL_VERSION, "pid", (json_int_t)getpid(),
	                      "started", started, "now", (json_int_t)clock_wall_unix()));
}

static void verb_slots(void *arg, struct control_client *client, const json_t *request)
{
	(void)request;
	struct fleet *fleet = ((struct control_sources *)arg)->fleet;
	size_t n;
	const struct device_record *const *records = fleet_records(fleet, &n);
	control_client_reply(client, slot_json(records, n,
	                                       &((struct control_sources *)arg)->config->port_names,
	                                       clock_wall_unix()));
}

struct refresh_request {
	struct control_sources *sources;
	struct control_client *client;
	char **filters;
	size_t n_filters;
};

static void refresh_done(void *arg, int refreshed, int timed_out)
{
	struct refresh_request *req = arg;
	json_t *counts = json_pack("{s:i, s:i, s:o}", "refreshed", refreshed, "timed_out",
	                           timed_out, "probe_helpers", probe_helpers_json(req->sources));
	status_stream_reply(req->client, req->sources->fleet, &req->sources->config->port_names,
	                    (const char *const *)req->filters, req->n_filters,
	                    (struct status_shape){DEVICE_FIELDS_ALL, false, false}, counts);
	control_client_unref(req->client);
	for (size_t i = 0; i < req->n_filters; i++)
		free(req->filters[i]);
	free(req->filters);
	free(req);
}

static void verb_refresh(void *arg, struct control_client *client, const json_t *request)
{
	struct control_sources *sources = arg;
	struct fleet *fleet = sources->fleet;
	size_t n;
	const char *bad;
	const char **names = control_request_devices(request, &n, &bad); /* checked */
	struct refresh_request *req = xcalloc(1, sizeof(*req));
	req->sources = sources;
	req->client = client;
	req->filters = xcalloc(n ? n : 1, sizeof(*req->filters));
	const char **udids = xcalloc(n ? n : 1, sizeof(*udids));
	for (size_t i = 0; i < n; i++) {
		req->filters[i] = xstrdup(names[i]);
		/* Unknown names stay in the filters, so the reply names them as unknown. */
		const char *udid = fleet_resolve(fleet, names[i]);
		udids[i] = udid ? udid : names[i];
	}
	req->n_filters = n;
	control_client_ref(client);
	fleet_refresh(fleet, udids, n, REFRESH_LIMIT_MS, refresh_done, req);
	free(udids);
	free(names);
}

/* The read-only verbs; their handlers take the sources. An action is in action_control.c. */
static const struct control_verb verbs[] = {
    {"status", CONTROL_READ_ONLY, CONTROL_ARGS_DEVICES, verb_status},
    {"refresh", CONTROL_READ_ONLY, CONTROL_ARGS_DEVICES, verb_refresh},
    {"feed", CONTROL_READ_ONLY, CONTROL_ARGS_NONE, verb_feed},
    {"slots", CONTROL_READ_ONLY, CONTROL_ARGS_NONE, verb_slots},
    {"version", CONTROL_READ_ONLY, CONTROL_ARGS_NONE, verb_version},
};

struct control_verb_set control_verbs(struct control_sources *sources)
{
	return (struct control_verb_set){verbs, CONTROL_VERBS_OF(verbs), sources, NULL};
}
