/* SPDX-License-Identifier: ISC */
/* control_verbs: the daemon's answers to backupctl's verbs (status, refresh, feed). */
#ifndef BACKUPD_CONTROL_VERBS_H
#define BACKUPD_CONTROL_VERBS_H

#include <stddef.h>

#include "control.h"

struct fleet;

/* The verb table served on the control socket; handlers take the fleet as their arg. */
/* How many control_verbs gives (checked where the table is): sizes the daemon's verb list. */
#define CONTROL_VERB_COUNT 4
const struct control_verb *control_verbs(size_t *n);

#endif
