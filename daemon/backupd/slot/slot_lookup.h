/* SPDX-License-Identifier: ISC */
/* slot_lookup: finds each attached phone's USB port in sysfs on a thread of its own, so a
 * slow or stuck /sys never holds the loop; answers come back on the loop. */
#ifndef BACKUPD_SLOT_LOOKUP_H
#define BACKUPD_SLOT_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "slot_sysfs.h"

struct event_base;
struct slot_lookup;

/* found is false when the port is not known; generation is the caller's, echoed back. */
typedef void (*slot_lookup_done_fn)(void *arg, const char *udid, uint32_t generation, bool found,
                                    const struct slot_port *port);

struct slot_lookup *slot_lookup_new(struct event_base *base, slot_lookup_done_fn done, void *arg);
/* Lookups after this read root ("" = none: every answer is "not known"). */
void slot_lookup_set_root(struct slot_lookup *lookup, const char *root);
/* Queues a lookup; a full queue (a stuck /sys) drops it and answers nothing. */
void slot_lookup_submit(struct slot_lookup *lookup, const char *udid, uint32_t generation);
void slot_lookup_free(struct slot_lookup *lookup);

#endif
