/* SPDX-License-Identifier: ISC */
/* fleet_verdicts: running the rules over the fleet's phones and writing what changed (the
 * record, the journal's transitions, the state file, the change announcement). Used by
 * fleet.c; the three public entries at the end are the fleet's API (fleet.h includes this
 * header), the rest is for fleet/ only. Everything runs on the loop. */
#ifndef BACKUPD_FLEET_VERDICTS_H
#define BACKUPD_FLEET_VERDICTS_H

#include <stdbool.h>

#include "feed.h"
#include "ioscat.h"

struct fleet;
struct fleet_device;

/* A record changed: a new generation, and the state file is due. */
void fleet_mark_dirty(struct fleet *fleet);
/* A new generation, and (outside a batch) the change callback. */
void fleet_announce_change(struct fleet *fleet);
/* Runs the rules over what is known of dev and writes the transitions. */
void fleet_evaluate(struct fleet *fleet, struct fleet_device *dev);
/* Re-evaluates every attached device, then says once that something changed. */
void fleet_evaluate_attached(struct fleet *fleet);
/* The fleet-wide icloud_service verdict and the feed's alerts. */
void fleet_evaluate_service(struct fleet *fleet);
/* One slice of the walk after a catalog change (fleet_ios.h). */
void fleet_rejudge_slice(void *arg);

/* Public (fleet.h). A new status feed: the service verdict and every attached phone. */
void fleet_feed_changed(struct fleet *fleet, const struct feed_state *feed);
/* The iOS catalog ios_current judges against (NULL: none); it must stay valid until the
 * next call. Re-judges every phone, in slices across loop turns (fleet_ios.h). */
void fleet_ios_catalog_changed(struct fleet *fleet, const struct ios_catalog *catalog);
/* Whether the re-judging after a catalog change is still under way. */
bool fleet_ios_rejudging(const struct fleet *fleet);

#endif
