/* SPDX-License-Identifier: ISC */
/* backupd: watches the iPhones attached through usbmuxd and tells, through journald and
 * backupctl, which of them will not back up to iCloud and why. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "config.h"
#include "control.h"
#include "action_control.h"
#include "action_kinds.h"
#include "control_verbs.h"
#include "feed_poll.h"
#include "ioscat_poll.h"
#include "fleet.h"
#include "fleet_summary.h"
#include "hook_runner.h"
#include "hook_spawn.h"
#include "hotplug.h"
#include "hotplug_wire.h"
#include "journal.h"
#include "metrics.h"
#include "metrics_render.h"
#include "notify.h"
#include "pages.h"
#include "pairing_identity.h"
#include "pairing_signer.h"
#include "probe_pool.h"
#include "probe_wire.h"
#include "unit_check.h"
#include "version.h"
#include "xmalloc.h"

#define DEFAULT_CONFIG BACKUPD_SYSCONFDIR "/backupd.conf"

struct daemon {
	struct event_base *base;
	const char *config_path;
	/* The main file must exist when named with --config, and on reload once one was read:
	 * only the packaged default path, absent from the start, means "all defaults". */
	bool config_required;
	char dropin_dir[4096];
	struct backupd_config config;
	struct fleet *fleet;
	struct hotplug *hotplug;
	struct feed_poller *feed;
	struct ioscat_poller *ioscat;
	struct hook_runner *alert_command;
	struct control_server *control;
	struct metrics_server *metrics;
	struct pages *pages; /* the cart pages on the metrics listener, and their renders */
	struct actions *actions;
	/* The control socket systemd passed, as found at start: its group's name is looked up
	 * then, before the loop runs (NSS may wait), never after a reload. */
	struct unit_facts socket_at_start;
	struct pairing_identity *identity; /* SupervisionIdentity=; only this process holds it */
	struct event *sighup, *sigterm, *sigint;
	bool ready_sent;
	int exit_code;
};

static void control_log(void *arg, int priority, const char *message);
static struct control_options control_options(const struct backupd_config *config);

static void usage(FILE *out)
{
	fprintf(out, "Usage: backupd [--config FILE] [--check-config] [--version]\n"
	             "\n"
	             "Watches iPhones attached through usbmuxd and reports, to journald and to\n"
	             "backupctl, whether each can back up to iCloud.\n"
	             "\n"
	             "  -c, --config FILE   configuration (default " DEFAULT_CONFIG
	             ", drop-ins FILE.d/*.conf)\n"
	             "      --check-config  validate the configuration and exit (0 good, 78 bad)\n"
	             "  -V, --version       print the version\n"
	             "  -h, --help          this text\n");
}

static int load_config(struct daemon *d, struct backupd_config *out)
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

/* Loads [Pairing] SupervisionIdentity= into *out (NULL when none is set). */
static int load_identity(const struct backupd_config *config, struct pairing_identity **out)
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
	struct probe_pool *pool = fleet_probe_pool(d->fleet);
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

/* --check-config: the same comparison, with the units' settings asked of systemd. */
static void check_units_offline(const struct backupd_config *config)
{
	struct unit_facts facts;
	char why[256];
	if (unit_facts_from_systemd(&facts, why, sizeof(why)) < 0) {
		log_notice("not compared with backupd.socket and backupd.service: %s", why);
		return;
	}
	unit_check(config, &facts, warn_log, NULL);
}

static void status_changed(void *arg)
{
	struct daemon *d = arg;
	char line[256];
	fleet_summary_line(d->fleet, line, sizeof(line));
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
	const struct control_verb_set sets[] = {control_verbs(d->fleet), actions_verbs(d->actions)};
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

static void render_metrics(void *arg, struct metrics_text *out)
{
	struct daemon *d = arg;
	struct metrics_view view;
	metrics_view_of(d->fleet, &d->config, &view);
	if (d->ioscat) {
		const struct ios_catalog *catalog = ioscat_poller_catalog(d->ioscat);
		view.ios_catalog = ioscat_poller_state(d->ioscat);
		view.ios_releases = catalog ? catalog->n_releases : 0;
	}
	metrics_render(&view, out);
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
	d->pages = pages_new(d->fleet);
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
	fleet_summary_line(d->fleet, line, sizeof(line));
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
	if (load_config(d, &fresh) < 0 || load_identity(&fresh, &identity) < 0) {
		log_warning("reload failed; keeping the configuration in use");
		config_free(&fresh);
		notify_ready("reload failed; old configuration kept");
		return;
	}
	/* The fleet and the control server read d->config: swap it under them. */
	struct backupd_config old = d->config;
	d->config = fresh;
	hook_runner_reconfigure(d->alert_command, &d->config);
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
	fleet_summary_line(d->fleet, line, sizeof(line));
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

static int start(struct daemon *d)
{
	evthread_use_pthreads();
	d->base = event_base_new();
	if (!d->base || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_error("could not initialise the event loop or libcurl");
		return -1;
	}
	d->alert_command = hook_runner_new(d->base, &d->config);
	d->fleet = fleet_new(d->base, &d->config);
	d->actions = actions_new(d->base, d->fleet, &d->config);
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
	return 0;
}

static void finish(struct daemon *d)
{
	notify_watchdog_stop();
	hotplug_free(d->hotplug);
	feed_poller_free(d->feed);
	control_server_free(d->control);
	hook_runner_free(d->alert_command);
	metrics_server_free(d->metrics);
	pages_free(d->pages);
	fleet_free(d->fleet);
	ioscat_poller_free(d->ioscat); /* after the fleet, which borrows its catalog */
	actions_free(d->actions); /* after the fleet: its last refreshes answer action requests */
	pairing_identity_free(d->identity);
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

static int run_probe_helper(const char *fd_text, const char *parent_text)
{
	/* A helper must not outlive the daemon, even while stuck inside libimobiledevice; the
	 * parent check closes the window in which the daemon died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != (pid_t)atoi(parent_text))
		return 1;
	/* Keep only the request socket: inherited descriptors (libusbmuxd's listen socket, the
	 * feed's connection) would otherwise stay open in every helper. */
	int fd = atoi(fd_text);
	close_range((unsigned)fd + 1, ~0U, 0);
	signal(SIGPIPE, SIG_IGN);
	return probe_helper_main(fd);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--probe-helper") == 0)
		return run_probe_helper(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "--usbmuxd-watcher") == 0)
		return hotplug_watch_main(argv[2], argv[3]);

	static const struct option options[] = {
	    {"config", required_argument, NULL, 'c'}, {"check-config", no_argument, NULL, 'C'},
	    {"foreground", no_argument, NULL, 'f'},   {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	struct daemon d = {.config_path = DEFAULT_CONFIG};
	bool check_only = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:fVh", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			d.config_path = optarg;
			d.config_required = true;
			break;
		case 'C':
			check_only = true;
			break;
		case 'f':
			break;
		case 'V':
			printf("backupd %s\n", BACKUPD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	snprintf(d.dropin_dir, sizeof(d.dropin_dir), "%s.d", d.config_path);
	if (check_only)
		journal_set_target(JOURNAL_TARGET_STDERR); /* a command answers on its terminal */
	if (load_config(&d, &d.config) < 0)
		return CONFIG_EXIT_INVALID;
	if (load_identity(&d.config, &d.identity) < 0) {
		config_free(&d.config);
		return CONFIG_EXIT_INVALID;
	}
	char why[160];
	if (check_only && d.config.alert_command[0] &&
	    !hook_command_usable(d.config.alert_command, why, sizeof(why))) {
		fprintf(stderr, "%s: AlertCommand=%s cannot be run: %s\n", d.config_path,
		        d.config.alert_command, why);
		config_free(&d.config);
		pairing_identity_free(d.identity);
		return CONFIG_EXIT_INVALID;
	}
	if (check_only) {
		pairing_identity_free(d.identity);
		check_units_offline(&d.config);
		if (d.config_required)
			printf("%s: configuration is valid\n", d.config_path);
		else
			printf("%s: not present; the built-in defaults apply\n", d.config_path);
		config_free(&d.config);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	int rc = 1;
	if (start(&d) == 0) {
		log_info("backupd %s started", BACKUPD_VERSION);
		event_base_dispatch(d.base);
		rc = d.exit_code;
	}
	finish(&d);
	return rc;
}
