/* SPDX-License-Identifier: ISC */
/* probe_pool_reload: a reload changes ProbeTimeout at once; a new Workers stops every helper,
 * resizes the pool and reports the jobs they ran as lost (probe_pool_state.h). */
#include <stdlib.h>

#include "probe_hint.h"
#include "probe_pool.h"
#include "probe_pool_state.h"
#include "xmalloc.h"

void probe_pool_reconfigure(struct probe_pool *pool, const struct probe_pool_options *opts)
{
	pool->opts.timeout_ms = opts->timeout_ms;
	if (opts->workers == pool->opts.workers)
		return;
	/* Stop and resize first, report the lost probes after: their callbacks may submit and
	 * dispatch again, which must see the new helper array only. */
	int n_old = pool->n_helpers;
	struct probe_lost *lost = xcalloc((size_t)n_old, sizeof(*lost));
	int n_lost = 0;
	for (int i = 0; i < n_old; i++) {
		struct helper *h = &pool->helpers[i];
		if (h->busy) {
			strlcpy_safe(lost[n_lost].udid, h->udid, UDID_MAX);
			lost[n_lost].action = h->action;
			lost[n_lost++].quarantined = is_quarantine_slot(pool, h->slot);
		}
		probe_pool_helper_stop(h);
	}
	pool->opts.workers = opts->workers;
	pool->n_helpers = opts->workers + QUARANTINE_HELPERS;
	pool->helpers =
	    xreallocarray(pool->helpers, (size_t)pool->n_helpers, sizeof(*pool->helpers));
	probe_pool_init_slots(pool);
	/* Old hints now name other slots: queued jobs and the fleet's hints forget them, and a
	 * quarantined device stays quarantined. */
	pool->layout = probe_hint_next_layout(pool->layout);
	probe_queue_forget_slots(&pool->queue);
	for (int i = 0; i < n_lost; i++)
		probe_lost_report(&pool->sink, &lost[i], PROBE_NOT_YET, ACTION_HELPER_LOST,
		                  probe_queue_is_action(lost[i].action.op)
		                      ? "action cancelled by reload (Workers changed)"
		                      : "probe cancelled by reload",
		                  lost[i].quarantined ? PROBE_HINT_QUARANTINE : PROBE_HINT_NONE);
	free(lost);
	probe_pool_dispatch(pool);
}
