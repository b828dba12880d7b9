/* SPDX-License-Identifier: ISC */
/* See action_auth.h. */
#include <stdio.h>
#include <string.h>

#include "action_auth.h"
#include "control.h"
#include "control_internal.h"

int action_auth_configure(struct action_auth *auth, const struct backupd_config *config, char *err,
                          size_t err_size)
{
	auth->allowed = config->actions_allowed;
	snprintf(auth->group, sizeof(auth->group), "%s", config->action_group);
	if (control_peer_resolve_group(config->action_group, &auth->gid) < 0) {
		auth->gid = (gid_t)-1;
		snprintf(err, err_size,
		         "[Actions] ActionGroup=%s: no such group; actions are for root only",
		         config->action_group);
		return -1;
	}
	return 0;
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
		if (auth->gid == (gid_t)-1)
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
