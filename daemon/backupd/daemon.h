/* SPDX-License-Identifier: ISC */
/* daemon: the running backupd, and the one place its parts are wired together. Each part is
 * made here and handed what it uses (the fleet its probe pool and the alert command's
 * consumer; the actions the fleet, the pool and how to answer; the control verbs, /metrics
 * and the pages what they read); none of them finds another by itself. backupd.c (main)
 * reads the command line and runs it. */
#ifndef BACKUPD_DAEMON_H
#define BACKUPD_DAEMON_H

#include <stdbool.h>

#include "config.h"
#include "control_verbs.h"
#include "pairing_identity.h"
#include "unit_check.h"

struct daemon {
	struct event_base *base;
	const char *config_path;
	/* The main file must exist when named with --config, and on reload once one was read:
	 * only the packaged default path, absent from the start, means "all defaults". */
	bool config_required;
	char dropin_dir[4096];
	struct backupd_config config;
	struct probe_pool *pool; /* the probe helpers: the fleet's probes and the actions' jobs */
	struct fleet *fleet;
	struct hotplug *hotplug;
	struct loop_trace *loop_trace; /* BACKUPD_TRACE=loop only */
	struct feed_poller *feed;
	struct ioscat_poller *ioscat;
	struct hook_runner *alert_command;
	struct control_sources sources; /* what the read-only verbs read */
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

/* The configuration d names (config_path, dropin_dir) into *out; -1 (logged) when invalid. */
int daemon_load_config(struct daemon *d, struct backupd_config *out);
/* [Pairing] SupervisionIdentity= into *out (NULL when none is set); -1 (logged) on error. */
int daemon_load_identity(const struct backupd_config *config, struct pairing_identity **out);
/* --check-config: warns of settings the units (backupd.socket, .service) decide otherwise. */
void daemon_check_units_offline(const struct backupd_config *config);
/* Makes and wires every part around d->config and d->identity (loaded); -1 when the loop
 * cannot start. Then run the loop on d->base; d->exit_code is the exit status. */
int daemon_start(struct daemon *d);
/* Frees every part, in the order they let go of each other (after a failed start too). */
void daemon_finish(struct daemon *d);

#endif
