/* SPDX-License-Identifier: ISC */
/* fleet: every device backupd knows, owned by the event loop. It turns hotplug events into
 * probes, probe results into verdicts (rules), verdict changes into journal entries (alert),
 * and keeps the state file. */
#ifndef BACKUPD_FLEET_H
#define BACKUPD_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "config.h"
#include "device.h"
#include "feed.h"
#include "fleet_verdicts.h" /* fleet_feed_changed, fleet_ios_catalog_changed */
#include "hotplug.h"
#include "ioscat.h"

struct event_base;
struct fleet;
struct probe_pool;

/* config must outlive the fleet or be replaced through fleet_reconfigure. pool (the caller
 * reconfigures and frees it, after the fleet) runs the fleet's probes; its results come back
 * through fleet_probe_done. alert_consumer (copied; NULL = none) is told of every transition
 * the journal is (the alert command). */
struct fleet *fleet_new(struct event_base *base, const struct backupd_config *config,
                        struct probe_pool *pool, const struct alert_consumer *alert_consumer);
void fleet_free(struct fleet *fleet);

/* Restores devices and alert memory from the state directory (never fatal). */
void fleet_load_state(struct fleet *fleet);
/* Writes the state file now if anything changed since the last write. */
void fleet_save_state(struct fleet *fleet);

/* Lets go of the phones ForgetAfter and MaxRemembered say to forget (forget.h), one journal
 * entry each. Runs on every poll, when a new phone passes MaxRemembered, and once after the
 * first enumeration (so a phone attached at start is not forgotten for its old last_seen). */
void fleet_forget(struct fleet *fleet);

void fleet_hotplug(struct fleet *fleet, enum hotplug_kind kind, const char *udid);
/* A probe the fleet asked of its pool has answered (probe_done_fn, on the loop). */
void fleet_probe_done(struct fleet *fleet, const struct device_facts *facts, int served_by);
void fleet_usbmuxd_presence(struct fleet *fleet, bool present);
void fleet_reconfigure(struct fleet *fleet, const struct backupd_config *config);

/* Probes the named devices (NULL/0 = every attached one) now; done runs once, on the loop,
 * when all have answered or after limit_ms. Unknown or detached devices count as timed out. */
typedef void (*fleet_refresh_done_fn)(void *arg, int refreshed, int timed_out);
void fleet_refresh(struct fleet *fleet, const char *const *udids, size_t n, int64_t limit_ms,
                   fleet_refresh_done_fn done, void *arg);

/* Pointers to every record, valid until the next loop iteration; another call meanwhile
 * returns the same array. */
const struct device_record *const *fleet_records(struct fleet *fleet, size_t *n);
/* The record of udid, NULL when unknown (or forgotten); valid until the loop runs again. */
const struct device_record *fleet_record(struct fleet *fleet, const char *udid);
/* Resolves a UDID or a device name to the UDID; NULL when unknown. */
const char *fleet_resolve(struct fleet *fleet, const char *udid_or_name);
/* How many phones a UDID or name names, the first max of their UDIDs in udids (valid until
 * the loop runs again). */
size_t fleet_matches(struct fleet *fleet, const char *udid_or_name, const char **udids, size_t max);
const struct feed_state *fleet_feed(const struct fleet *fleet);
/* Marks udid as restarting on request (shown by status until cleared); unknown: no-op. */
void fleet_set_restarting(struct fleet *fleet, const char *udid, bool restarting);
/* Replaces what udid's record says backupd did or means to do by itself (its days reach the
 * state file). */
void fleet_set_auto(struct fleet *fleet, const char *udid, const struct auto_memory *memory);
/* Replaces what udid's record says of its pairing (pair_state.h); a new state announces a
 * change (status, metrics). */
void fleet_set_pairing(struct fleet *fleet, const char *udid, const struct pair_memory *memory);
/* Apple's iCloud Backup service as the rules judge it (fleet-wide). */
const struct verdict *fleet_service(const struct fleet *fleet);
/* Changes with every change that may touch a record, the service verdict or the config (and
 * at times when nothing did): what the pages cache their renders by (page_cache.h). */
uint64_t fleet_generation(const struct fleet *fleet);
/* Whether usbmuxd is there (as hotplug last said). */
bool fleet_usbmuxd_present(const struct fleet *fleet);

/* Called after every verdict change (for STATUS=); may be NULL. */
void fleet_on_change(struct fleet *fleet, void (*changed)(void *arg), void *arg);

#endif
