/* SPDX-License-Identifier: ISC */
/* probe_pool: runs device probes in killable helper processes, off the event loop.
 *
 * Why processes and not threads: libimobiledevice 1.3.0 loops forever in its TLS handshake when
 * a device stops answering (idevice_connection_enable_ssl retries every 100 ms without a time
 * limit), and a library crash on a malformed reply would take the whole daemon down. A helper
 * that overruns ProbeTimeout is killed and replaced; its device is reported unresponsive; no
 * other device waits for it. Helpers keep each device's lockdownd session and diagnostics
 * connection open between polls, and the pool sends a device back to the helper that holds
 * its session (affinity) unless that helper stays busy. */
#ifndef BACKUPD_PROBE_POOL_H
#define BACKUPD_PROBE_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "probe_done.h"
#include "probe_pool_options.h"
#include "probe_reply_check.h"
#include "probe_sign.h"
#include "probe_start.h"
#include "probe_stats.h"

struct event_base;
struct probe_pool;

struct probe_pool *probe_pool_new(struct event_base *base, const struct probe_pool_options *opts,
                                  probe_done_fn done, void *arg);
/* Queues a probe of udid; hint is the served_by of its last probe (-1 = none). The caller keeps
 * at most one probe of a device in flight. */
void probe_pool_submit(struct probe_pool *pool, const char *udid, int hint);
/* Queues an action (PROBE_OP_ENABLE_BACKUP or PROBE_OP_RESTART) on any ordinary helper, with
 * the time limit and crash isolation of a probe. A device leaving does not drop it. */
void probe_pool_submit_action(struct probe_pool *pool, const char *udid, uint32_t op,
                              probe_action_fn done, void *arg);
/* True when a helper is probing udid now; false when its probe is only queued (it will start,
 * and read the device, after anything that happens now) or there is none. */
bool probe_pool_running(const struct probe_pool *pool, const char *udid);
/* The device left: drop its queued probe (no callback) and its cached session. Returns true
 * when a queued probe was dropped (a running one still calls back). */
bool probe_pool_forget(struct probe_pool *pool, const char *udid);
/* The supervision identity's signer for pairing jobs (probe_sign.h); NULL: plain Pair only.
 * The pool keeps a copy of the struct; the certificate and arg must live until the next call. */
void probe_pool_set_signer(struct probe_pool *pool, const struct probe_signer *signer);
/* Flags (enum probe_flag) every probe from now on carries. */
void probe_pool_set_probe_flags(struct probe_pool *pool, uint32_t flags);
/* Whether helpers can be started (see probe_start.h). */
void probe_pool_health(const struct probe_pool *pool, struct probe_start_health *out);
void probe_pool_reconfigure(struct probe_pool *pool, const struct probe_pool_options *opts);
/* Finished probes since the pool was made (reconfigure keeps them). */
const struct probe_stats *probe_pool_stats(const struct probe_pool *pool);
/* Kills every helper and frees the pool; queued probes get no callback. */
void probe_pool_free(struct probe_pool *pool);

#endif
