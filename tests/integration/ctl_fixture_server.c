/* SPDX-License-Identifier: ISC */
/* A stand-in for backupd's control side: the real control.c server and status_json.c
 * replies over a fleet read from a fixture (or made up: --synthetic N), with a fixed clock,
 * so backupctl's output is deterministic. It can mutate the fleet on a timer to simulate
 * devices attaching and detaching while clients are served.
 *
 * Usage: ctl_fixture_server --socket PATH (--fleet FILE | --synthetic N) [--now UNIX]
 *        [--group NAME] [--mode OCTAL] [--idle-ms N] [--max-clients N] [--high-water N]
 *        [--mutate-ms N] [--systemd] [--hup-group NAME] [--config BACKUPD.CONF]
 * --config reads [Hub] and [Slot] sections (the daemon's parser) for the slot names.
 * SIGHUP reconfigures the server with --hup-group as its group.
 * Logs go to stderr as "log <priority>: message"; SIGTERM/SIGINT end it cleanly. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <jansson.h>

#include "config.h"
#include "ctl_fixture_ios.h"
#include "control.h"
#include "slot_history.h"
#include "slot_json.h"
#include "feed_json.h"
#include "status_json.h"
#include "precondition.h"

struct fixture {
	struct control_server *server;
	struct control_options reconfigured; /* applied on SIGHUP */
	struct device_record *records;
	const struct device_record **pointers;
	size_t n;
	struct feed_state feed;
	struct backupd_config config; /* --config: [Hub] and [Slot] sections */
	int64_t now;
	struct event_base *base;
	unsigned mutations;
};

/* ---- fleet from a fixture file ---- */

static void copy_text(char *dst, size_t size, const json_t *object, const char *key)
{
	const char *text = json_string_value(json_object_get(object, key));
	snprintf(dst, size, "%s", text ? text : "");
}

static int64_t integer_or(const json_t *object, const char *key, int64_t fallback)
{
	const json_t *value = json_object_get(object, key);
	return json_is_integer(value) ? json_integer_value(value) : fallback;
}

static enum tristate tristate_of(const json_t *object, const char *key)
{
	const json_t *value = json_object_get(object, key);
	if (!json_is_boolean(value))
		return TRI_UNKNOWN;
	return json_is_true(value) ? TRI_YES : TRI_NO;
}

static enum probe_status probe_status_of(const char *name)
{
	for (int i = 0; i < PROBE_STATUS_COUNT; i++)
		if (name && strcmp(probe_status_name(i), name) == 0)
			return i;
	return PROBE_OK;
}

/* "verdicts": {"wifi": ["failing", "not associated"], ...}; rows not named are ok. */
static void load_verdicts(struct device_record *record, const json_t *verdicts)
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		record->verdicts[i].state = VERDICT_OK;
	const char *name;
	const json_t *pair;
	json_object_foreach((json_t *)verdicts, name, pair)
	{
		int id = precondition_by_name(name);
		int state = verdict_state_by_name(json_string_value(json_array_get(pair, 0)));
		if (id < 0 || state < 0) {
			fprintf(stderr, "fixture: bad verdict %s\n", name);
			exit(2);
		}
		record->verdicts[id].state = state;
		snprintf(record->verdicts[id].reason, sizeof(record->verdicts[id].reason), "%s",
		         json_string_value(json_array_get(pair, 1)));
	}
}

/* "ports": [[PORT, SINCE, UNTIL], ...] oldest first (UNTIL 0 = still there, if attached). */
static void load_visits(struct device_record *record, const json_t *ports)
{
	size_t i;
	const json_t *visit;
	json_array_foreach(ports, i, visit)
	{
		const char *port = json_string_value(json_array_get(visit, 0));
		slot_history_found(&record->slot, port ? port : "", 480,
		                   json_integer_value(json_array_get(visit, 1)));
		json_int_t until = json_integer_value(json_array_get(visit, 2));
		if (until)
			slot_history_detached(&record->slot, until);
	}
}

static void load_device(struct device_record *record, const json_t *object)
{
	struct device_facts *facts = &record->facts;
	copy_text(record->udid, sizeof(record->udid), object, "udid");
	facts_init(facts, record->udid);
	copy_text(facts->name, sizeof(facts->name), object, "name");
	copy_text(facts->product_type, sizeof(facts->product_type), object, "product_type");
	copy_text(facts->product_version, sizeof(facts->product_version), object, "ios");
	copy_text(facts->error, sizeof(facts->error), object, "error");
	facts->status = probe_status_of(json_string_value(json_object_get(object, "status")));
	facts->battery_percent = (int)integer_or(object, "battery", -1);
	facts->battery_charging = tristate_of(object, "charging");
	facts->external_connected = tristate_of(object, "external_power");
	facts->last_backup_unix = integer_or(object, "last_backup", 0);
	facts->has_last_backup = facts->last_backup_unix != 0;
	facts->probed_at_unix = integer_or(object, "probed_at", 0);
	record->attached = json_is_true(json_object_get(object, "attached"));
	load_verdicts(record, json_object_get(object, "verdicts"));
	load_visits(record, json_object_get(object, "ports"));
}

static int load_events(struct feed_event *events, const json_t *array)
{
	size_t i;
	const json_t *object;
	json_array_foreach(array, i, object)
	{
		if (i == FEED_EVENTS_MAX)
			break;
		copy_text(events[i].status_type, sizeof(events[i].status_type), object,
		          "status_type");
		copy_text(events[i].event_status, sizeof(events[i].event_status), object,
		          "event_status");
		copy_text(events[i].message, sizeof(events[i].message), object, "message");
		events[i].start_unix = integer_or(object, "start", 0);
		events[i].end_unix = integer_or(object, "end", 0);
	}
	return (int)(json_array_size(array) < FEED_EVENTS_MAX ? json_array_size(array)
	                                                      : FEED_EVENTS_MAX);
}

static void load_feed(struct feed_state *feed, const json_t *object)
{
	feed->last_good_unix = integer_or(object, "last_good", 0);
	feed->have_good = feed->last_good_unix != 0;
	feed->unreachable = json_is_true(json_object_get(object, "unreachable"));
	feed->unreachable_since = integer_or(object, "unreachable_since", 0);
	copy_text(feed->last_error, sizeof(feed->last_error), object, "last_error");
	feed->n_active = load_events(feed->active, json_object_get(object, "active"));
	feed->n_upcoming = load_events(feed->upcoming, json_object_get(object, "upcoming"));
}

static void allocate(struct fixture *fixture, size_t n)
{
	fixture->n = n;
	fixture->records = calloc(n ? n : 1, sizeof(*fixture->records));
	fixture->pointers = calloc(n ? n : 1, sizeof(*fixture->pointers));
	if (fixture->records == NULL || fixture->pointers == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		fixture->pointers[i] = &fixture->records[i];
}

static void load_fleet(struct fixture *fixture, const char *path)
{
	json_error_t error;
	json_t *root = json_load_file(path, 0, &error);
	if (root == NULL) {
		fprintf(stderr, "fixture: %s:%d: %s\n", path, error.line, error.text);
		exit(2);
	}
	const json_t *devices = json_object_get(root, "devices");
	allocate(fixture, json_array_size(devices));
	for (size_t i = 0; i < fixture->n; i++)
		load_device(&fixture->records[i], json_array_get(devices, i));
	load_feed(&fixture->feed, json_object_get(root, "feed"));
	fixture->now = integer_or(root, "now", 0);
	const char *catalog = json_string_value(json_object_get(root, "ios_catalog"));
	if (catalog) { /* beside the fleet file */
		char catalog_path[1024];
		const char *slash = strrchr(path, '/');
		snprintf(catalog_path, sizeof(catalog_path), "%.*s%s",
		         slash ? (int)(slash - path + 1) : 0, path, catalog);
		fixture_ios_judge(fixture->records, devices, fixture->n, catalog_path,
		                  fixture->now);
	}
	json_decref(root);
}

/* Every seventh phone has iCloud Backup off, every eleventh is detached. */
static void make_synthetic(struct fixture *fixture, size_t n)
{
	allocate(fixture, n);
	fixture->now = 1750000000;
	fixture->feed.have_good = true;
	fixture->feed.last_good_unix = fixture->now - 120;
	for (size_t i = 0; i < n; i++) {
		struct device_record *record = &fixture->records[i];
		snprintf(record->udid, sizeof(record->udid), "00008110-%016zX", i);
		facts_init(&record->facts, record->udid);
		snprintf(record->facts.name, sizeof(record->facts.name), "Lab iPhone %04zu", i);
		snprintf(record->facts.product_type, sizeof(record->facts.product_type),
		         "iPhone%zu,%zu", 12 + i % 6, 1 + i % 3);
		snprintf(record->facts.product_version, sizeof(record->facts.product_version),
		         "17.%zu", i % 6);
		record->facts.status = PROBE_OK;
		record->facts.battery_percent = (int)(i % 101);
		record->facts.has_last_backup = i % 13 != 0;
		record->facts.last_backup_unix = fixture->now - (int64_t)(i * 97 % 200000);
		record->facts.probed_at_unix = fixture->now - 60;
		record->attached = i % 11 != 0;
		for (int p = 0; p < PRECOND_COUNT; p++)
			record->verdicts[p].state = VERDICT_OK;
		if (i % 7 == 0) {
			record->verdicts[PRECOND_BACKUP_ENABLED].state = VERDICT_FAILING;
			snprintf(record->verdicts[PRECOND_BACKUP_ENABLED].reason,
			         sizeof(record->verdicts[0].reason), "iCloud Backup is off");
		}
	}
}

/* ---- handlers ---- */

/* The request's "devices" as a borrowed string array; NULL entries are skipped by count. */
static size_t request_filters(const json_t *request, const char **filters, size_t max)
{
	const json_t *devices = json_object_get(request, "devices");
	size_t n = 0, i;
	const json_t *item;
	json_array_foreach(devices, i, item) if (json_is_string(item) && n < max) filters[n++] =
	    json_string_value(item);
	return n;
}

/* A "rows" request (control_protocol.h) gets "columns" (the fields asked) and each device as
 * the array of those fields' values, an absent one null, as backupd writes it. */
static void as_rows(json_t *reply, const json_t *fields)
{
	json_t *rows = json_array();
	size_t index, i;
	const json_t *device, *field;
	json_array_foreach(json_object_get(reply, "devices"), index, device)
	{
		json_t *row = json_array();
		json_array_foreach(fields, i, field)
		{
			json_t *value = json_object_get(device, json_string_value(field));
			json_array_append(row, value ? value : json_null());
		}
		json_array_append_new(rows, row);
	}
	json_object_set_new(reply, "devices", rows);
	json_object_set(reply, "columns", (json_t *)fields);
}

static json_t *status_reply(struct fixture *fixture, const json_t *request)
{
	const char *filters[64];
	size_t n_filters = request_filters(request, filters, 64);
	bool detail = json_is_true(json_object_get(request, "detail"));
	json_t *reply = status_json(fixture->pointers, fixture->n, &fixture->config.port_names,
	                            &fixture->feed, fixture->now, filters, n_filters, detail);
	const json_t *fields = json_object_get(request, "fields");
	if (!detail && json_is_true(json_object_get(request, "rows")) && json_is_array(fields) &&
	    json_object_get(reply, "devices") != NULL)
		as_rows(reply, fields);
	return reply;
}

static void handle_status(void *arg, struct control_client *client, const json_t *request)
{
	control_client_reply(client, status_reply(arg, request));
}

static void handle_slots(void *arg, struct control_client *client, const json_t *request)
{
	(void)request;
	struct fixture *fixture = arg;
	control_client_reply(client, slot_json(fixture->pointers, fixture->n,
	                                       &fixture->config.port_names, fixture->now));
}

static void handle_feed(void *arg, struct control_client *client, const json_t *request)
{
	(void)request;
	struct fixture *fixture = arg;
	control_client_reply(client,
	                     json_pack("{s:b, s:I, s:o}", "ok", 1, "now", (json_int_t)fixture->now,
	                               "feed", feed_json(&fixture->feed)));
}

struct pending_refresh {
	struct fixture *fixture;
	struct control_client *client;
	json_t *request;
};

/* Answers later, as the daemon will once probes finish: exercises the async path. */
static void refresh_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct pending_refresh *pending = arg;
	json_t *reply = status_reply(pending->fixture, pending->request);
	if (json_is_true(json_object_get(reply, "ok"))) {
		json_object_set_new(
		    reply, "refreshed",
		    json_integer((json_int_t)json_array_size(json_object_get(reply, "devices"))));
		json_object_set_new(reply, "timed_out", json_integer(0));
	}
	control_client_reply(pending->client, reply);
	control_client_unref(pending->client);
	json_decref(pending->request);
	free(pending);
}

static void handle_refresh(void *arg, struct control_client *client, const json_t *request)
{
	struct pending_refresh *pending = malloc(sizeof(*pending));
	if (pending == NULL)
		abort();
	pending->fixture = arg;
	pending->client = client;
	pending->request = json_deep_copy(request);
	control_client_ref(client);
	struct timeval tv = {0, 100 * 1000};
	event_base_once(pending->fixture->base, -1, EV_TIMEOUT, refresh_done, pending, &tv);
}

static void log_line(void *arg, int priority, const char *message)
{
	(void)arg;
	fprintf(stderr, "log %d: %s\n", priority, message);
}

/* ---- mutation and signals ---- */

static void mutate(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fixture *fixture = arg;
	if (fixture->n == 0)
		return;
	struct device_record *record = &fixture->records[fixture->mutations++ % fixture->n];
	record->attached = !record->attached;
	record->verdicts[PRECOND_REACHABLE].state = record->attached ? VERDICT_OK : VERDICT_FAILING;
	record->facts.battery_percent = (record->facts.battery_percent + 1) % 101;
}

static void reconfigure(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fixture *fixture = arg;
	char err[256];
	if (control_server_reconfigure(fixture->server, &fixture->reconfigured, err, sizeof(err)) <
	    0)
		fprintf(stderr, "fixture: reconfigure: %s\n", err);
	else
		fprintf(stderr, "fixture: reconfigured\n");
}

static void stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* ---- main ---- */

struct settings {
	struct control_options control;
	const char *fleet;
	const char *hup_group;
	const char *config;
	long synthetic;
	long long now;
	long mode;
	long mutate_ms;
};

static void parse(int argc, char **argv, struct settings *settings)
{
	static const struct option options[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"fleet", required_argument, NULL, 'f'},
	    {"synthetic", required_argument, NULL, 'n'},
	    {"now", required_argument, NULL, 't'},
	    {"group", required_argument, NULL, 'g'},
	    {"mode", required_argument, NULL, 'm'},
	    {"idle-ms", required_argument, NULL, 'i'},
	    {"max-clients", required_argument, NULL, 'c'},
	    {"high-water", required_argument, NULL, 'w'},
	    {"mutate-ms", required_argument, NULL, 'u'},
	    {"systemd", no_argument, NULL, 'd'},
	    {"hup-group", required_argument, NULL, 'h'},
	    {"config", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	settings->synthetic = -1;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 's':
			settings->control.socket_path = optarg;
			break;
		case 'f':
			settings->fleet = optarg;
			break;
		case 'n':
			settings->synthetic = atol(optarg);
			break;
		case 't':
			settings->now = atoll(optarg);
			break;
		case 'g':
			settings->control.group = optarg;
			break;
		case 'm':
			settings->mode = strtol(optarg, NULL, 8);
			break;
		case 'i':
			settings->control.idle_timeout_ms = atoi(optarg);
			break;
		case 'c':
			settings->control.max_clients = atoi(optarg);
			break;
		case 'w':
			settings->control.output_high_water = (size_t)atol(optarg);
			break;
		case 'u':
			settings->mutate_ms = atol(optarg);
			break;
		case 'h':
			settings->hup_group = optarg;
			break;
		case 'd':
			settings->control.adopt_systemd = true;
			break;
		case 'C':
			settings->config = optarg;
			break;
		default:
			exit(2);
		}
	}
	if (settings->control.socket_path == NULL && !settings->control.adopt_systemd) {
		fprintf(stderr, "usage: see the comment at the top of ctl_fixture_server.c\n");
		exit(2);
	}
}

static const struct control_verb verbs[] = {
    {"status", CONTROL_READ_ONLY, CONTROL_ARGS_DEVICES, handle_status},
    {"refresh", CONTROL_READ_ONLY, CONTROL_ARGS_DEVICES, handle_refresh},
    {"feed", CONTROL_READ_ONLY, CONTROL_ARGS_NONE, handle_feed},
    {"slots", CONTROL_READ_ONLY, CONTROL_ARGS_NONE, handle_slots},
};

int main(int argc, char **argv)
{
	struct settings settings = {0};
	parse(argc, argv, &settings);
	signal(SIGPIPE, SIG_IGN);
	struct fixture fixture = {0};
	if (settings.synthetic >= 0)
		make_synthetic(&fixture, (size_t)settings.synthetic);
	else if (settings.fleet != NULL)
		load_fleet(&fixture, settings.fleet);
	if (settings.now != 0)
		fixture.now = settings.now;
	config_defaults(&fixture.config);
	char config_err[512];
	if (settings.config && config_load(&fixture.config, settings.config, NULL, config_err,
	                                   sizeof(config_err)) < 0) {
		fprintf(stderr, "fixture: %s\n", config_err);
		return 1;
	}
	evthread_use_pthreads(); /* a changed group is looked up on a thread */
	fixture.base = event_base_new();

	const struct control_verb_set set = {verbs, CONTROL_VERBS_OF(verbs), &fixture, NULL};
	struct control_handlers handlers = {&set, 1, &fixture, log_line};
	char err[256];
	struct control_server *server =
	    control_server_new(fixture.base, &settings.control, &handlers, err, sizeof(err));
	if (server == NULL) {
		fprintf(stderr, "fixture: %s\n", err);
		return 1;
	}
	/* Wider than the server's 0660 on purpose, so that the peer check itself is tested. */
	if (settings.mode != 0 && settings.control.socket_path != NULL)
		chmod(settings.control.socket_path, (mode_t)settings.mode);

	fixture.server = server;
	fixture.reconfigured = settings.control;
	fixture.reconfigured.group = settings.hup_group;
	struct event *hup = evsignal_new(fixture.base, SIGHUP, reconfigure, &fixture);
	event_add(hup, NULL);
	struct event *term = evsignal_new(fixture.base, SIGTERM, stop, fixture.base);
	struct event *intr = evsignal_new(fixture.base, SIGINT, stop, fixture.base);
	event_add(term, NULL);
	event_add(intr, NULL);
	struct event *mutator = event_new(fixture.base, -1, EV_PERSIST, mutate, &fixture);
	if (settings.mutate_ms > 0) {
		struct timeval tv = {settings.mutate_ms / 1000, (settings.mutate_ms % 1000) * 1000};
		event_add(mutator, &tv);
	}
	printf("ready\n");
	fflush(stdout);
	event_base_dispatch(fixture.base);

	control_server_free(server);
	event_free(mutator);
	event_free(hup);
	event_free(term);
	event_free(intr);
	event_base_free(fixture.base);
	free(fixture.records);
	free(fixture.pointers);
	config_free(&fixture.config);
	return 0;
}
