/* SPDX-License-Identifier: ISC */
/* fleet_ios: the iOS catalog's part of the fleet. It borrows the catalog the poller holds,
 * counts its changes, and gives each phone the catalog's word on its model and version
 * (ios_update.h), judged once per (model, version) pair and catalog (ios_judge_cache.h),
 * against the phone's own train or, with [IOS] Target=latest, the newest major. */
#ifndef BACKUPD_FLEET_IOS_H
#define BACKUPD_FLEET_IOS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "fleet_table.h"
#include "ios_update.h"
#include "rules.h"

struct fleet_ios;

struct fleet_ios *fleet_ios_new(void);
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

/* A new catalog (borrowed until the next call; NULL: none): every detached phone's word is
 * brought up to it at once (they are not evaluated); returns how many changed. The caller
 * then evaluates the attached ones. */
size_t fleet_ios_set_catalog(struct fleet_ios *ios, const struct ios_catalog *catalog,
                             struct fleet_table *table, const struct backupd_config *config);

#endif
