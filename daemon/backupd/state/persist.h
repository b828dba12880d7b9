/* SPDX-License-Identifier: ISC */
/* persist: when the fleet's records reach the state file. Changes mark the store dirty; a
 * timer then asks the owner to save (at most every few seconds), and the text is written on
 * the state writer's thread. A change the journal or the alert command was told of (alert
 * memory) is urgent: a restart in those seconds would tell it again. It is saved on the
 * loop's next turn, or, while the writer is still busy with an earlier save, as soon as that
 * is written: saves keep to the writer's pace however many alerts come. Loading is one call
 * at start. */
#ifndef BACKUPD_PERSIST_H
#define BACKUPD_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "fleet_alerts.h"

struct event_base;
struct persist;

/* due runs on the loop when a save is due; the owner answers with persist_save. */
struct persist *persist_new(struct event_base *base, void (*due)(void *arg), void *arg);
/* Waits for the last write, then frees. */
void persist_free(struct persist *persist);

void persist_mark_dirty(struct persist *persist);
void persist_mark_urgent(struct persist *persist);
bool persist_dirty(const struct persist *persist);

/* Copies the records (on the loop: a memcpy each) for the writer thread to serialise.
 * max_age_s is the retention (ForgetAfter): detached records last seen longer ago are left
 * out. */
void persist_save(struct persist *persist, const char *dir, struct device_record *const *recs,
                  size_t n, const struct fleet_alerts *alerts, int64_t now_unix, int64_t max_age_s);

/* Reads dir's state file; logs what was wrong with it. *records is one malloc'ed array the
 * caller frees. Returns the number of records. */
size_t persist_load(const char *dir, struct device_record **records, struct fleet_alerts *alerts);

#endif
