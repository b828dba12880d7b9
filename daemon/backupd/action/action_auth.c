/* SPDX-License-Identifier: ISC */
/* See action_auth.h. */
#include <stdio.h>
#include <string.h>

#include "action_auth.h"
#include "control.h"
#include "group_lookup.h"
#include "journal.h"

/* An answer for a name a later reload replaced is dropped. */
static void group_found(void *arg, const char *name, bool found, gid_t gid)
{
	struct action_auth *auth = arg;
	if (strcmp(name, auth->group) != 0)
		return;
	auth->resolved = true;
	auth->gid = found ? gid : (gid_t)-1;
	if (!found)
		log_warning("[Actions] ActionGroup=%s: no such group; actions are for root only",
		            name);
}

void action_auth_init(struct action_auth *auth, struct event_base *base)
{
	memset(auth, 0, sizeof(*auth));
	auth->gid = (gid_t)-1;
	auth->resolved = true; /* no group: root only, nothing to look up */
	auth->lookup = group_lookup_new(base, group_found, auth);
}

void action_auth_configure(struct action_auth *auth, const struct backupd_config *config)
{
	auth->allowed = config->actions_allowed;
	/* The same group again keeps its answer; one not found is asked again (it may have
	 * been created since). */
	if (strcmp(auth->group, config->action_group) == 0 && auth->resolved &&
	    (auth->gid != (gid_t)-1 || auth->group[0] == '\0'))
		return;
	snprintf(auth->group, sizeof(auth->group), "%s", config->action_group);
	auth->gid = (gid_t)-1; /* root only until the answer */
	auth->resolved = auth->group[0] == '\0';
	if (!auth->resolved)
		group_lookup_start(auth->lookup, auth->group);
}

bool action_auth_check(const struct action_auth *auth, enum action_kind kind,
                       const struct control_client *client, char *why, size_t why_size)
{
	const char *name = action_kind_names[kind];
	if (!(auth->allowed & (1u << kind))) {
		snprintf(why, why_size,
		         "%s is not allowed on this machine: add it to [Actions] Allow= in "
		         "/etc/backupd.conf (actions are off by default)",
		         name);
		return false;
	}
	if (!control_client_member(client, auth->gid)) {
		if (!auth->resolved)
			snprintf(why, why_size,
			         "permission denied: %s needs root until ActionGroup=%s is looked "
			         "up; try again in a moment",
			         name, auth->group);
		else if (auth->gid == (gid_t)-1)
			snprintf(why, why_size,
			         "permission denied: %s needs root (no ActionGroup=)", name);
		else
			snprintf(why, why_size,
			         "permission denied: %s needs root or a member of the group %s "
			         "(ActionGroup=)",
			         name, auth->group);
		return false;
	}
	return true;
}

void action_auth_free(struct action_auth *auth)
{
	group_lookup_free(auth->lookup);
	auth->lookup = NULL;
}
