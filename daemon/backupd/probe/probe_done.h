/* SPDX-License-Identifier: ISC */
/* probe_done: how whoever asked hears a probe or an action end. Its own header so that the
 * queue and the lost jobs holding the callbacks (probe_queue.h, probe_lost.h) and the pool
 * taking them (probe_pool.h) need not include each other. */
#ifndef BACKUPD_PROBE_DONE_H
#define BACKUPD_PROBE_DONE_H

struct action_result; /* probe_reply_check.h */
struct device_facts;  /* facts.h */

/* Called on the loop with every finished probe (also for timeouts and helper crashes).
 * served_by is an opaque hint (the helper holding the device's session, or quarantine): pass
 * it back as the hint of the next probe. */
typedef void (*probe_done_fn)(void *arg, const struct device_facts *facts, int served_by);

/* Called on the loop when an action ends: the helper's checked answer, or a daemon-side
 * outcome (ACTION_TIMED_OUT past ProbeTimeout, ACTION_HELPER_LOST when it died, lied or was
 * stopped by a reload). Called exactly once per submitted action, except at probe_pool_free. */
typedef void (*probe_action_fn)(void *arg, const char *udid, const struct action_result *result);

#endif
