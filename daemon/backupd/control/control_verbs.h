/* SPDX-License-Identifier: ISC */
/* control_verbs: the daemon's answers to backupctl's read-only verbs (status, refresh, feed,
 * slots, version); the actions are action_control.h's. */
#ifndef BACKUPD_CONTROL_VERBS_H
#define BACKUPD_CONTROL_VERBS_H

#include <stddef.h>

#include "control_verb.h"

struct fleet;
struct probe_pool;

/* What the read-only verbs read, the daemon's: it must outlive the control server. */
struct backupd_config;

struct control_sources {
	struct fleet *fleet;
	const struct probe_pool *pool;       /* its health: "probe_helpers" in status and refresh */
	const struct backupd_config *config; /* the daemon's, reloaded in place */
};

/* The read-only verbs served on the control socket, their handlers taking sources. */
struct control_verb_set control_verbs(struct control_sources *sources);

#endif
