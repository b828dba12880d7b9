/* SPDX-License-Identifier: ISC */
/* See daemon.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "action_control.h"
#include "clock.h"
#include "control.h"
#include "daemon.h"
#include "feed_poll.h"
#include "fleet.h"
#include "fleet_summary.h"
#include "hook_runner.h"
#include "hotplug.h"
#include "ioscat_poll.h"
#include "journal.h"
#include "loop_trace.h"
#include "metrics.h"
#include "metrics_render.h"
#include "notify.h"
#include "pages.h"
#include "pairing_signer.h"
#include "probe_pool.h"
#include "status_json.h"
#include "xmalloc.h"

static void control_log(void *arg, int priority, const char *message);

static struct probe_pool_options pool_options(const struct backupd_config *config)
{
	struct probe_pool_options opts = {
	    .workers = config->workers,
	    .timeout_ms = config->probe_timeout_ms,
	    .helper_exe = getenv("BACKUPD_HELPER_EXE"),
	};
	return opts;
}
static struct control_options control_options(const struct backupd_config *config);

int daemon_load_config(struct daemon *d, struct backupd_config *out)
{
	char err[1024];
	config_defaults(out);
	int rc = d->config_required
	             ? config_load_existing(out, d->config_path, d->dropin_dir, err, sizeof(err))
	             : config_load(out, d->config_path, d->dropin_dir, err, sizeof(err));
	if (rc < 0) {
		log_error("%s", err);
		return -1;
	}
	if (!d->config_required && access(d->config_path, F_OK) == 0)
		d->config_required = true;
	if (out->deprecated[0])
		log_notice("%s", out->deprecated);
	return 0;
}

int daemon_load_identity(const struct backupd_config *config, struct pairing_identity **out)
{
	*out = NULL;
	if (!config->supervision_identity[0])
		return 0;
	char err[512], about[512];
	*out =
	    pairing_identity_load(config->supervision_identity, config->supervision_password_file,
	                          time(NULL), err, sizeof(err));
	if (!*out) {
		log_error("%s", err);
		return -1;
	}
	pairing_identity_describe(*out, about, sizeof(about));
	log_info("%s: supervision identity: %s", config->supervision_identity, about);
	return 0;
}

/* Hands the identity's signer (never the key) to the probe pool, and tells the probes whether
 * to leave pairing to backupd (action_pair_auto.h). */
static void use_identity(struct daemon *d)
{
	struct probe_pool *pool = d->pool;
	if (d->identity) {
		struct probe_signer signer = {.sign = pairing_sign_challenge, .arg = d->identity};
		signer.cert = pairing_identity_cert(d->identity, &signer.cert_len);
		probe_pool_set_signer(pool, &signer);
	} else {
		probe_pool_set_signer(pool, NULL);
	}
	probe_pool_set_probe_flags(pool, actions_set_identity(d->actions, d->identity != NULL));
}

static void warn_log(void *arg, const char *message)
{
	(void)arg;
	log_warning("%s", message);
}

/* Settings the units decide too (unit_check.h): warned at start and after each reload. */
static void check_units(const struct daemon *d)
{
	struct unit_facts facts;
	unit_facts_from_service(&d->socket_at_start, &d->config, &facts);
	unit_check(&d->config, &facts, warn_log, NULL);
}

void daemon_check_units_offline(const struct backupd_config *config)
{
	struct unit_facts facts;
	char why[256];
	if (unit_facts_from_systemd(&facts, why, sizeof(why)) < 0) {
		log_notice("not compared with backupd.socket and backupd.service: %s", why);
		return;
	}
	unit_check(config, &facts, warn_log, NULL);
}

/* The fleet in one line, with the probe helpers' health (STATUS=, logs). */
static void summary_line(const struct daemon *d, char *line, size_t size)
{
	struct probe_start_health helpers;
	probe_pool_health(d->pool, &helpers);
	fleet_summary_line(d->fleet, &helpers, line, size);
}

static void status_changed(void *arg)
{
	struct daemon *d = arg;
	char line[256];
	summary_line(d, line, sizeof(line));
	if (d->ready_sent)
		notify_status(line);
	actions_changed(d->actions);
}

static void on_device(void *arg, enum hotplug_kind kind, const char *udid)
{
	struct daemon *d = arg;
	fleet_hotplug(d->fleet, kind, udid);
	actions_hotplug(d->actions, kind, udid);
}

static void on_probe_done(void *arg, const struct device_facts *facts, int served_by)
{
	struct daemon *d = arg;
	fleet_probe_done(d->fleet, facts, served_by);
}

/* An action request's answer: the phones' status as the status verb shows it, and the
 * outcomes (action_request.h). */
static void reply_action(void *arg, struct control_client *client, const char *const *udids,
                         size_t n, json_t *outcomes)
{
	struct daemon *d = arg;
	size_t n_records;
	const struct device_record *const *records = fleet_records(d->fleet, &n_records);
	json_t *reply = status_json(records, n_records, &d->config.port_names, fleet_feed(d->fleet),
	                            clock_wall_unix(), udids, n, false);
	if (json_is_true(json_object_get(reply, "ok")))
		json_object_set_new(reply, "actions", outcomes);
	else
		json_decref(outcomes);
	control_client_reply(client, reply);
}

static void on_usbmuxd(void *arg, bool present)
{
	struct daemon *d = arg;
	fleet_usbmuxd_presence(d->fleet, present);
}

/* Opened only after the first enumeration, so that the first answer a client gets (socket
 * activation queues it meanwhile) already knows which devices are attached. */
static int start_control(struct daemon *d)
{
	/* Every verb the socket serves: the read-only ones (the fleet's) and the actions. */
	const struct control_verb_set sets[] = {control_verbs(&d->sources),
	                                        actions_verbs(d->actions)};
	struct control_handlers handlers = {sets, CONTROL_VERBS_OF(sets), d, control_log};
	struct control_options copts = control_options(&d->config);
	char err[512];
	d->control = control_server_new(d->base, &copts, &handlers, err, sizeof(err));
	if (!d->control) {
		log_error("control socket: %s", err);
		return -1;
	}
	unit_socket_facts(control_server_systemd_fd(d->control), &d->socket_at_start);
	check_units(d);
	return 0;
}

static bool render_metrics(void *arg, struct metrics_text *out,
                           struct metrics_render_cursor *cursor)
{
	struct daemon *d = arg;
	struct metrics_view view;
	metrics_view_of(d->fleet, &d->config, d->pool, d->alert_command, &view);
	if (d->ioscat) {
		const struct ios_catalog *catalog = ioscat_poller_catalog(d->ioscat);
		view.ios_catalog = ioscat_poller_state(d->ioscat);
		view.ios_releases = catalog ? catalog->n_releases : 0;
	}
	return metrics_render_part(&view, out, cursor, METRICS_RENDER_PART_US);
}

/* A listener that cannot be bound is said and the daemon goes on without it: the fleet is
 * still watched, and Prometheus reports the target down. */
static void configure_metrics(struct daemon *d)
{
	struct metrics_options opts = {
	    .listen = d->config.metrics_listen,
	    .max_connections = d->config.metrics_max_connections,
	    .request_timeout_ms = d->config.metrics_request_timeout_ms,
	};
	char before[512], after[512], err[512];
	metrics_server_describe(d->metrics, before, sizeof(before));
	if (metrics_server_configure(d->metrics, &opts, err, sizeof(err)) < 0) {
		log_error("metrics: %s; /metrics stays on %s", err, before);
		return;
	}
	metrics_server_describe(d->metrics, after, sizeof(after));
	if (strcmp(before, after) != 0)
		log_info("metrics: /metrics now served on %s", after);
}

/* Like the control socket, /metrics opens after the first enumeration: a scrape at start
 * must not report every phone of the cart missing. */
static void start_metrics(struct daemon *d)
{
	d->metrics = metrics_server_new(d->base, render_metrics, d);
	d->pages = pages_new(d->fleet, &d->config);
	metrics_server_set_other(d->metrics, pages_handle, d->pages);
	configure_metrics(d);
}

static void on_enumerated(void *arg, int n_devices)
{
	struct daemon *d = arg;
	if (start_control(d) < 0) {
		d->exit_code = 1;
		event_base_loopexit(d->base, NULL);
		return;
	}
	fleet_forget(d->fleet);
	start_metrics(d);
	char line[256];
	summary_line(d, line, sizeof(line));
	log_info("first enumeration: %d device(s) attached", n_devices);
	notify_ready(line);
	d->ready_sent = true;
}

static void on_feed(void *arg, const struct feed_state *state)
{
	struct daemon *d = arg;
	fleet_feed_changed(d->fleet, state);
}

static void control_log(void *arg, int priority, const char *message)
{
	(void)arg;
	log_priority(priority, "%s", message);
}

static struct control_options control_options(const struct backupd_config *config)
{
	struct control_options opts = {
	    .socket_path = config->control_socket,
	    .group = config->control_group,
	    .adopt_systemd = true,
	};
	return opts;
}

static void start_feed(struct daemon *d)
{
	struct feed_poll_options opts;
	feed_poll_options_defaults(&opts);
	strlcpy_safe(opts.url, d->config.status_feed_url, sizeof(opts.url));
	opts.interval_ms = d->config.status_feed_interval_ms;
	if (d->feed)
		feed_poller_reconfigure(d->feed, &opts);
	else
		d->feed = feed_poller_new(d->base, &opts, on_feed, d);
}

static void on_ios_catalog(void *arg, const struct ios_catalog *catalog)
{
	struct daemon *d = arg;
	fleet_ios_catalog_changed(d->fleet, catalog);
}

static void start_ioscat(struct daemon *d)
{
	struct ioscat_options opts = {
	    .url = d->config.ios_catalog_url,
	    .interval_ms = d->config.ios_catalog_interval_ms,
	    .cache_dir = d->config.state_directory,
	    .ca_file = d->config.ios_catalog_ca[0] ? d->config.ios_catalog_ca
	                                           : ioscat_default_ca(d->config.ios_catalog_url)};
	if (d->ioscat)
		ioscat_poller_reconfigure(d->ioscat, &opts);
	else
		d->ioscat = ioscat_poller_new(d->base, &opts, on_ios_catalog, d);
}

static void reload(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct daemon *d = arg;
	notify_reloading();
	struct backupd_config fresh;
	struct pairing_identity *identity = NULL;
	if (daemon_load_config(d, &fresh) < 0 || daemon_load_identity(&fresh, &identity) < 0) {
		log_warning("reload failed; keeping the configuration in use");
		config_free(&fresh);
		notify_ready("reload failed; old configuration kept");
		return;
	}
	/* The fleet and the control server read d->config: swap it under them. */
	struct backupd_config old = d->config;
	d->config = fresh;
	hook_runner_reconfigure(d->alert_command, &d->config);
	struct probe_pool_options pool_opts = pool_options(&d->config);
	probe_pool_reconfigure(d->pool, &pool_opts);
	fleet_reconfigure(d->fleet, &d->config);
	actions_reconfigure(d->actions, &d->config);
	struct pairing_identity *old_identity = d->identity;
	d->identity = identity;
	use_identity(d);
	pairing_identity_free(old_identity); /* after the pool stopped pointing at it */
	char err[512];
	struct control_options copts = control_options(&d->config);
	if (d->control && control_server_reconfigure(d->control, &copts, err, sizeof(err)) < 0)
		log_warning("control socket: %s", err);
	start_feed(d);
	start_ioscat(d);
	if (d->metrics)
		configure_metrics(d);
	config_free(&old);
	if (d->control)
		check_units(d);
	char line[256];
	summary_line(d, line, sizeof(line));
	log_info("configuration reloaded");
	notify_ready(line);
}

static void stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct daemon *d = arg;
	notify_stopping();
	event_base_loopexit(d->base, NULL);
}

int daemon_start(struct daemon *d)
{
	evthread_use_pthreads();
	d->base = loop_trace_base_new();
	if (!d->base || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_error("could not initialise the event loop or libcurl");
		return -1;
	}
	/* Each part gets what it uses here, and nothing finds another part by itself. */
	d->alert_command = hook_runner_new(d->base, &d->config);
	struct probe_pool_options pool_opts = pool_options(&d->config);
	d->pool = probe_pool_new(d->base, &pool_opts, on_probe_done, d);
	struct alert_consumer alert_command = hook_runner_consumer(d->alert_command);
	d->fleet = fleet_new(d->base, &d->config, d->pool, &alert_command);
	struct actions_wiring wiring = {d->fleet, d->pool, reply_action, d};
	d->actions = actions_new(d->base, &wiring, &d->config);
	d->sources = (struct control_sources){d->fleet, d->pool, &d->config};
	use_identity(d);
	fleet_on_change(d->fleet, status_changed, d);
	fleet_load_state(d->fleet);

	start_feed(d);
	start_ioscat(d);
	struct hotplug_callbacks callbacks = {
	    .device = on_device, .usbmuxd = on_usbmuxd, .enumerated = on_enumerated, .arg = d};
	d->hotplug = hotplug_new(d->base, &callbacks);

	d->sighup = evsignal_new(d->base, SIGHUP, reload, d);
	d->sigterm = evsignal_new(d->base, SIGTERM, stop, d);
	d->sigint = evsignal_new(d->base, SIGINT, stop, d);
	event_add(d->sighup, NULL);
	event_add(d->sigterm, NULL);
	event_add(d->sigint, NULL);
	notify_watchdog_start(d->base);
	d->loop_trace = loop_trace_new(d->base);
	return 0;
}

void daemon_finish(struct daemon *d)
{
	notify_watchdog_stop();
	loop_trace_free(d->loop_trace);
	hotplug_free(d->hotplug);
	feed_poller_free(d->feed);
	control_server_free(d->control);
	metrics_server_free(d->metrics);
	pages_free(d->pages);
	fleet_free(d->fleet);
	hook_runner_free(d->alert_command); /* after the fleet, which told it of alerts */
	ioscat_poller_free(d->ioscat);      /* after the fleet, which borrows its catalog */
	actions_free(d->actions); /* after the fleet: its last refreshes answer action requests */
	probe_pool_free(d->pool); /* after the fleet and the actions, which asked it for jobs */
	pairing_identity_free(d->identity); /* after the pool, which signs with it */
	if (d->sighup) {
		event_free(d->sighup);
		event_free(d->sigterm);
		event_free(d->sigint);
	}
	if (d->base) {
		event_base_free(d->base);
		curl_global_cleanup();
	}
	config_free(&d->config);
}
