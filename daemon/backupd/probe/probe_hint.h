/* SPDX-License-Identifier: ISC */
/* probe_hint: the slot hints the fleet keeps for the probe pool (probe_pool.h's served_by).
 * A hint is PROBE_HINT_QUARANTINE, or an ordinary slot tagged with the layout (generation) it
 * was given under, so a hint from before a Workers change means nothing. Pure arithmetic. */
#ifndef BACKUPD_PROBE_HINT_H
#define BACKUPD_PROBE_HINT_H

#include <stdbool.h>

#include "facts.h"

#define PROBE_HINT_NONE       (-1)
#define PROBE_HINT_QUARANTINE (-2)

/* The layout generation after layout (it wraps before a hint would overflow). */
int probe_hint_next_layout(int layout);
/* The hint to give back for a probe with status served by slot (a quarantine slot or not). */
int probe_hint_served(int layout, int slot, bool quarantine_slot, enum probe_status status);
/* The ordinary slot (< workers) a hint names in layout, or -1. */
int probe_hint_slot(int layout, int workers, int hint);

#endif
