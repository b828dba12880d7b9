/* SPDX-License-Identifier: ISC */
/* fleet_ios: the iOS catalog's part of the fleet. It borrows the catalog the poller holds,
 * counts its changes, and gives each phone the catalog's word on its model and version
 * (ios_update.h), judged once per (model, version) pair and catalog (ios_judge_cache.h),
 * against the phone's own train or, with [IOS] Target=latest, the newest major.
 *
 * A new catalog re-judges every phone, and at fleet size that is more than one turn of the
 * loop may take (1000 phones of many models: tens of ms, README "Benchmarks"): the phones
 * are walked in slices of FLEET_IOS_SLICE_US each, one slice per loop turn, so probes,
 * backupctl and /metrics are served between them. Until the walk reaches a phone, that
 * phone keeps its word of the old catalog (a probe that comes first judges it afresh). */
#ifndef BACKUPD_FLEET_IOS_H
#define BACKUPD_FLEET_IOS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "fleet_table.h"
#include "ios_update.h"
#include "rules.h"

#define FLEET_IOS_SLICE_US 2000 /* of the loop's 5 ms budget */

struct event_base;
struct fleet_ios;

/* slice(arg) is called on the loop for each slice of a walk: it re-judges the phones
 * fleet_ios_next hands it. slice_us: the time of a slice (0: one phone per slice, tests). */
struct fleet_ios *fleet_ios_new(struct event_base *base, int64_t slice_us, void (*slice)(void *arg),
                                void *arg);
void fleet_ios_free(struct fleet_ios *ios);

/* The catalog's word on dev's model and version under config's Target (NULL: no catalog, or
 * no readable version). Valid until the next call. */
const struct ios_update *fleet_ios_update_of(struct fleet_ios *ios, const struct fleet_device *dev,
                                             const struct backupd_config *config);

/* What the ios_current rule reads, with update (fleet_ios_update_of, may be NULL). */
struct ios_rule_input fleet_ios_rule_input(const struct fleet_ios *ios,
                                           const struct backupd_config *config,
                                           const struct ios_update *update);

/* Keeps update (NULL: none) in dev's record; whether that changed it. */
bool fleet_ios_store(struct fleet_device *dev, const struct ios_update *update);

/* A new catalog (borrowed until the next call; NULL: none): starts a walk over every phone,
 * its first slice at once (a walk under way starts over). */
void fleet_ios_set_catalog(struct fleet_ios *ios, const struct ios_catalog *catalog);

/* In a slice: the next phone of table to re-judge, or NULL when the slice's time is up (the
 * next slice is then due on the next loop turn) or the walk is done. */
struct fleet_device *fleet_ios_next(struct fleet_ios *ios, struct fleet_table *table);

/* Phones left the table: a walk under way starts over from its first phone, as the table
 * closed up behind it (judging a phone twice costs a cache lookup; skipping one would leave
 * it the old catalog's word until its next probe). */
void fleet_ios_table_shrank(struct fleet_ios *ios);

/* Whether a walk is under way (tests, benchmarks). */
bool fleet_ios_walking(const struct fleet_ios *ios);

#endif
