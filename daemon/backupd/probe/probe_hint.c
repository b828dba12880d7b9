/* SPDX-License-Identifier: ISC */
/* probe_hint: encoding of the pool's slot hints; see probe_hint.h. */
#include <limits.h>

#include "probe_hint.h"

#define HINT_STRIDE  1024 /* > the largest Workers */
#define HINT_LAYOUTS (INT_MAX / HINT_STRIDE)

int probe_hint_next_layout(int layout)
{
	return (layout + 1) % HINT_LAYOUTS;
}

/* A quarantined device that answers again may go back to any helper. */
int probe_hint_served(int layout, int slot, bool quarantine_slot, enum probe_status status)
{
	if (!quarantine_slot)
		return layout * HINT_STRIDE + slot;
	return status == PROBE_OK ? PROBE_HINT_NONE : PROBE_HINT_QUARANTINE;
}

int probe_hint_slot(int layout, int workers, int hint)
{
	if (hint < 0 || hint / HINT_STRIDE != layout)
		return -1;
	int slot = hint % HINT_STRIDE;
	return slot < workers ? slot : -1;
}
