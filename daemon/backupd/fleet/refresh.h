/* SPDX-License-Identifier: ISC */
/* refresh: the control verb's waits for fresh probes. A wait names devices and finishes, on the
 * loop, once each has answered a probe that began after the request, or at its time limit. It
 * knows nothing of the fleet: the fleet tells it which probes finished. */
#ifndef BACKUPD_REFRESH_H
#define BACKUPD_REFRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct refresh_set;

typedef void (*refresh_done_fn)(void *arg, int refreshed, int timed_out);

struct refresh_set *refresh_set_new(struct event_base *base);
/* Finishes every wait still open (its devices count as timed out), then frees the set. */
void refresh_set_free(struct refresh_set *set);

/* Waits for the n devices in udids; running[i] says a probe of udids[i] is already running
 * (its result predates the request, so the wait takes the next one). skipped devices (unknown
 * or detached) are reported as timed out. done runs exactly once, perhaps before this
 * returns (nothing to wait for). */
void refresh_wait_start(struct refresh_set *set, const char *const *udids, const bool *running,
                        size_t n, int skipped, int64_t limit_ms, refresh_done_fn done, void *arg);

/* A probe of udid finished (successfully or not). */
void refresh_note_probe(struct refresh_set *set, const char *udid);

/* A probe of udid was cancelled before it read anything (a reload stopped its helper): it
 * refreshes no one, but a wait that was skipping it as too old now takes the next probe. */
void refresh_note_cancelled(struct refresh_set *set, const char *udid);

#endif
