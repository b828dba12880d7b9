/* SPDX-License-Identifier: ISC */
/* control_group: a ControlGroup changed on reload is looked up off the loop (group_lookup.h:
 * getgrnam_r can wait on NSS for as long as it likes); the loop only applies the answer. */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "control_internal.h"
#include "group_lookup.h"

static void apply(struct control_server *server, const char *name, bool found, gid_t gid)
{
	char err[256];
	if (!found) {
		control_log(server, LOG_WARNING,
		            "control: control group \"%s\" does not exist; \"%s\" still applies",
		            name, server->group);
		return;
	}
	if (server->bound_path != NULL &&
	    control_listen_chgrp(server->bound_path, gid, err, sizeof(err)) < 0) {
		control_log(server, LOG_WARNING, "control: %s; \"%s\" still applies", err,
		            server->group);
		return;
	}
	server->gid = gid;
	snprintf(server->group, sizeof(server->group), "%s", name);
	control_refusals_clear(&server->refusals); /* the group changed: log anew */
	control_log(server, LOG_INFO, "control: ControlGroup=%s applied", name);
}

/* An answer for a name a later reload replaced is dropped. */
static void lookup_done(void *arg, const char *name, bool found, gid_t gid)
{
	struct control_server *server = arg;
	if (strcmp(name, server->group_wanted) == 0 && strcmp(name, server->group) != 0)
		apply(server, name, found, gid);
}

void control_group_request(struct control_server *server, const char *name)
{
	if (server->group_lookup == NULL)
		server->group_lookup = group_lookup_new(server->base, lookup_done, server);
	snprintf(server->group_wanted, sizeof(server->group_wanted), "%s", name);
	if (strcmp(name, server->group) != 0)
		group_lookup_start(server->group_lookup, name);
}

void control_group_free(struct control_server *server)
{
	group_lookup_free(server->group_lookup);
	server->group_lookup = NULL;
}
