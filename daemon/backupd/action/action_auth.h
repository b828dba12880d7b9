/* SPDX-License-Identifier: ISC */
/* Who may ask for an action: only actions named in [Actions] Allow= (none by default), and
 * only root or a member of ActionGroup= (root only by default), judged from the peer's
 * kernel credentials (control_client_member). The group name is resolved off the loop
 * (group_lookup.h) when the config names a new one (start, reload); until its answer, and
 * when there is no such group, actions are for root only. */
#ifndef BACKUPD_ACTION_AUTH_H
#define BACKUPD_ACTION_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "action_kinds.h"
#include "config.h"

struct control_client;
struct event_base;
struct group_lookup;

struct action_auth {
	unsigned allowed; /* bit per enum action_kind */
	gid_t gid;        /* (gid_t)-1: root only */
	char group[64];   /* ActionGroup= as configured */
	bool resolved;    /* gid is group's answer (false while it is looked up) */
	struct group_lookup *lookup;
};

void action_auth_init(struct action_auth *auth, struct event_base *base);
/* Applies the config's [Actions]; a new ActionGroup is looked up, and an unknown one is
 * warned about (journal) when the answer comes. */
void action_auth_configure(struct action_auth *auth, const struct backupd_config *config);
/* true when client may run kind; else why says what to change. */
bool action_auth_check(const struct action_auth *auth, enum action_kind kind,
                       const struct control_client *client, char *why, size_t why_size);
void action_auth_free(struct action_auth *auth);

#endif
