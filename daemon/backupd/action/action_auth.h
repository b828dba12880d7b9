/* SPDX-License-Identifier: ISC */
/* Who may ask for an action: only actions named in [Actions] Allow= (none by default), and
 * only root or a member of ActionGroup= (root only by default), judged from the peer's
 * kernel credentials (control_client_member). The group name is resolved when the config is
 * applied (start, reload), never while a request is answered. */
#ifndef BACKUPD_ACTION_AUTH_H
#define BACKUPD_ACTION_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "action_kinds.h"
#include "config.h"

struct control_client;

struct action_auth {
	unsigned allowed; /* bit per enum action_kind */
	gid_t gid;        /* (gid_t)-1: root only */
	char group[64];
};

/* Applies the config's [Actions]; an unknown ActionGroup leaves root only, with a message in
 * err (returns -1). */
int action_auth_configure(struct action_auth *auth, const struct backupd_config *config, char *err,
                          size_t err_size);
/* true when client may run kind; else why says what to change. */
bool action_auth_check(const struct action_auth *auth, enum action_kind kind,
                       const struct control_client *client, char *why, size_t why_size);

#endif
