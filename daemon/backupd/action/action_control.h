/* SPDX-License-Identifier: ISC */
/* actions: the control verbs "enable-backup" and "restart" (include/control_protocol.h), their
 * authorisation (action_auth.h) and their requests (action_request.h). Owned by the daemon;
 * free it after the fleet. */
#ifndef BACKUPD_ACTION_CONTROL_H
#define BACKUPD_ACTION_CONTROL_H

#include <stddef.h>

#include "config.h"
#include "control.h"
#include "hotplug.h"

struct event_base;
struct fleet;
struct actions;

struct actions *actions_new(struct event_base *base, struct fleet *fleet,
                            const struct backupd_config *config);
void actions_reconfigure(struct actions *actions, const struct backupd_config *config);
/* After verdicts changed (AutoEnableBackup looks). */
void actions_changed(struct actions *actions);
/* Every hotplug event, after the fleet has seen it. */
void actions_hotplug(struct actions *actions, enum hotplug_kind kind, const char *udid);
/* The verbs to serve (their arg is actions). */
const struct control_verb *actions_verbs(struct actions *actions, size_t *n);
void actions_free(struct actions *actions);

#endif
