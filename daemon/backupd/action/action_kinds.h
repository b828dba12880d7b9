/* SPDX-License-Identifier: ISC */
/* The actions backupctl can ask for, and how each can end: their names (action_names.h), the
 * probe helper op that carries each, and the sentence a person reads for each outcome (one
 * source). */
#ifndef BACKUPD_ACTION_KINDS_H
#define BACKUPD_ACTION_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action_names.h"
#include "pair_state.h"
#include "probe_wire.h"

uint32_t action_kind_op(enum action_kind kind);

/* "done", "no-icloud-account", ... (stable: JSON "outcome" and journal STATE). */
const char *action_outcome_word(enum action_outcome outcome);
/* The sentence for a person: what happened and what to do. code and description are the
 * phone's or the helper's (used by phone-error and failures). */
void action_outcome_message(enum action_kind kind, enum action_outcome outcome, int code,
                            const char *description, char *buf, size_t size);

/* The pairing state a pair action's outcome leaves (supervised: the daemon signed). */
enum pair_state action_pair_state(enum action_outcome outcome, bool supervised);

#endif
