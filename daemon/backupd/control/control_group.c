/* SPDX-License-Identifier: ISC */
/* control_group: a ControlGroup changed on reload is looked up on a thread. getgrnam_r can
 * wait on NSS (LDAP, sssd) for as long as it likes; the loop only applies the answer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "control_internal.h"
#include "xmalloc.h"

struct control_group_lookup {
	struct control_server *server;
	pthread_t thread;
	bool running;
	char name[64];   /* being looked up */
	char wanted[64]; /* asked for while a lookup ran: looked up next */
	bool have_wanted;
	int rc;
	gid_t gid;
	struct event *done;
};

static void *resolve(void *arg)
{
	struct control_group_lookup *lookup = arg;
	lookup->rc = control_peer_resolve_group(lookup->name, &lookup->gid);
	event_active(lookup->done, EV_READ, 0);
	return NULL;
}

static void start(struct control_group_lookup *lookup, const char *name)
{
	snprintf(lookup->name, sizeof(lookup->name), "%s", name);
	lookup->running = pthread_create(&lookup->thread, NULL, resolve, lookup) == 0;
	if (!lookup->running)
		control_log(
		    lookup->server, LOG_WARNING,
		    "control: cannot look up ControlGroup=%s (no thread); \"%s\" still applies",
		    name, lookup->server->group);
}

static void apply(struct control_group_lookup *lookup)
{
	struct control_server *server = lookup->server;
	char err[256];
	if (lookup->rc < 0) {
		control_log(server, LOG_WARNING,
		            "control: control group \"%s\" does not exist; \"%s\" still applies",
		            lookup->name, server->group);
		return;
	}
	if (server->bound_path != NULL &&
	    control_listen_chgrp(server->bound_path, lookup->gid, err, sizeof(err)) < 0) {
		control_log(server, LOG_WARNING, "control: %s; \"%s\" still applies", err,
		            server->group);
		return;
	}
	server->gid = lookup->gid;
	snprintf(server->group, sizeof(server->group), "%s", lookup->name);
	control_refusals_clear(&server->refusals); /* the group changed: log anew */
	control_log(server, LOG_INFO, "control: ControlGroup=%s applied", lookup->name);
}

static void lookup_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct control_group_lookup *lookup = arg;
	pthread_join(lookup->thread, NULL);
	lookup->running = false;
	apply(lookup);
	if (lookup->have_wanted) {
		lookup->have_wanted = false;
		if (strcmp(lookup->wanted, lookup->server->group) != 0)
			start(lookup, lookup->wanted);
	}
}

void control_group_request(struct control_server *server, const char *name)
{
	if (server->group_lookup == NULL) {
		struct control_group_lookup *lookup = xcalloc(1, sizeof(*lookup));
		lookup->server = server;
		lookup->done = event_new(server->base, -1, 0, lookup_done, lookup);
		server->group_lookup = lookup;
	}
	struct control_group_lookup *lookup = server->group_lookup;
	if (lookup->running) {
		snprintf(lookup->wanted, sizeof(lookup->wanted), "%s", name);
		lookup->have_wanted = true;
		return;
	}
	if (strcmp(name, server->group) != 0)
		start(lookup, name);
}

void control_group_free(struct control_server *server)
{
	struct control_group_lookup *lookup = server->group_lookup;
	if (lookup == NULL)
		return;
	if (lookup->running)
		pthread_join(lookup->thread, NULL); /* at shutdown only */
	event_free(lookup->done);
	free(lookup);
	server->group_lookup = NULL;
}
