/* SPDX-License-Identifier: ISC */
/* state_snapshot: records copied for the writer thread (state_snapshot.h). */
#include <stdlib.h>

#include "state.h"
#include "state_snapshot.h"
#include "xmalloc.h"

struct state_snapshot {
	struct device_record *records; /* n copies */
	struct device_record **pointers;
	size_t n;
	struct fleet_alerts alerts;
	int64_t now_unix, retention_s;
};

struct state_snapshot *state_snapshot_take(struct device_record *const *recs, size_t n,
                                           const struct fleet_alerts *alerts, int64_t now_unix,
                                           int64_t retention_s)
{
	struct state_snapshot *snap = xcalloc(1, sizeof(*snap));
	/* Not zeroed: each record kept is copied whole, and this runs on the loop (4 MB at 1000
	 * phones: zeroing it first doubled the stall). */
	snap->records = xreallocarray(NULL, n ? n : 1, sizeof(*snap->records));
	snap->pointers = xcalloc(n ? n : 1, sizeof(*snap->pointers));
	for (size_t i = 0; i < n; i++) {
		if (!recs[i]->attached && recs[i]->last_seen_unix < now_unix - retention_s)
			continue;
		snap->records[snap->n] = *recs[i];
		snap->pointers[snap->n] = &snap->records[snap->n];
		snap->n++;
	}
	if (alerts)
		snap->alerts = *alerts;
	snap->now_unix = now_unix;
	snap->retention_s = retention_s;
	return snap;
}

char *state_snapshot_serialize(const struct state_snapshot *snap)
{
	return state_serialize(snap->pointers, snap->n, &snap->alerts, snap->now_unix,
	                       snap->retention_s);
}

void state_snapshot_free(struct state_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->records);
	free(snap->pointers);
	free(snap);
}
