/* SPDX-License-Identifier: ISC */
/* control_verbs: the daemon's answers to backupctl's read-only verbs (status, refresh, feed,
 * slots, version); the actions are action_control.h's. */
#ifndef BACKUPD_CONTROL_VERBS_H
#define BACKUPD_CONTROL_VERBS_H

#include <stddef.h>

#include "control_verb.h"

struct fleet;

/* The read-only verbs served on the control socket, their handlers taking fleet. */
struct control_verb_set control_verbs(struct fleet *fleet);

#endif
