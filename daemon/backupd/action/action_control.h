/* SPDX-License-Identifier: ISC */
/* actions: the control verbs "enable-backup", "restart", "pair" and "unpair"
 * (include/control_protocol.h), their
 * authorisation (action_auth.h) and their requests (action_request.h). Owned by the daemon;
 * free it after the fleet and before the probe pool. */
#ifndef BACKUPD_ACTION_CONTROL_H
#define BACKUPD_ACTION_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "action_request.h"
#include "config.h"
#include "control.h"
#include "hotplug.h"

struct event_base;
struct fleet;
struct probe_pool;
struct actions;

/* What the actions use, the daemon's: each outlives the actions (free them first). */
struct actions_wiring {
	struct fleet *fleet;     /* the records */
	struct probe_pool *pool; /* its helpers run the actions on the phones */
	action_reply_fn reply;   /* how a request from backupctl is answered */
	void *reply_arg;
};

struct actions *actions_new(struct event_base *base, const struct actions_wiring *wiring,
                            const struct backupd_config *config);
void actions_reconfigure(struct actions *actions, const struct backupd_config *config);
/* After verdicts changed (AutoEnableBackup looks). */
void actions_changed(struct actions *actions);
/* Every hotplug event, after the fleet has seen it. */
void actions_hotplug(struct actions *actions, enum hotplug_kind kind, const char *udid);
/* Whether a supervision identity is loaded (AutoPair=supervised pairs with it). Returns
 * whether backupd now pairs phones itself: then probes must not ask them to (PROBE_FLAG_NO_PAIR);
 * with AutoPair=no neither pairs. */
unsigned actions_set_identity(struct actions *actions, bool have_identity);
/* The action verbs to serve, with the hook that says who may run them (arg: actions). */
struct control_verb_set actions_verbs(struct actions *actions);
void actions_free(struct actions *actions);

#endif
