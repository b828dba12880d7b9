/* SPDX-License-Identifier: ISC */
/* The state file: the fleet's device records and alert memory, so that a restart neither
 * re-announces everything nor forgets a device that left. JSON in StateDirectory/state.json,
 * replaced atomically (temp file in the same directory, fsync, rename, fsync directory). */
#ifndef BACKUPD_STATE_H
#define BACKUPD_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "fleet_alerts.h"

#define STATE_FILE_NAME    "state.json"
#define STATE_FILE_VERSION 1

/* Writes the records seen in the last max_age_s (last_seen_unix >= now - max_age_s, or
 * attached now) and fleet (may be NULL) to dir/state.json. The caller keeps ownership of
 * everything passed. Returns 0, or -1 with a message in err; state.json is then either the old
 * or the new complete file, and no temp file is left behind. */
int state_save(const char *dir, struct device_record *const *recs, size_t n,
               const struct fleet_alerts *fleet, int64_t now_unix, int64_t max_age_s, char *err,
               size_t err_size);

/* The two halves of state_save: the JSON text (malloc'ed, NULL when out of memory), cheap
 * enough for the event loop, and the atomic write (temp file, fsync, rename, fsync of the
 * directory), which blocks and so runs on the state writer's thread in the daemon. */
char *state_serialize(struct device_record *const *recs, size_t n, const struct fleet_alerts *fleet,
                      int64_t now_unix, int64_t max_age_s);
int state_write(const char *dir, const char *text, char *err, size_t err_size);

/* Reads dir/state.json. On return *recs_out is one calloc'ed array of *n_out records (NULL
 * when 0) that the caller releases with one free(); every record has attached = false.
 * fleet_out (may be NULL) is zeroed and then filled from the file.
 * Returns 0 when the file was loaded or does not exist; 1 when it was unreadable or corrupt
 * (bad JSON, wrong version, wrong types): it was renamed to state.json.corrupt-<unix time>,
 * warn says so and what was wrong, and the fleet starts empty; -1 when memory ran out (warn
 * says so). Never fatal: the caller logs warn and carries on. */
int state_load(const char *dir, struct device_record **recs_out, size_t *n_out,
               struct fleet_alerts *fleet_out, char *warn, size_t warn_size);

/* The parse step of state_load, on a document already read (the fuzz target reads it from
 * memory): fills *recs (one calloc'ed array, which the caller frees even on failure), *n and
 * *fleet. Returns NULL, or a static text saying what is wrong. */
struct json_t;
const char *state_from_json(struct json_t *doc, struct device_record **recs, size_t *n,
                            struct fleet_alerts *fleet);

#endif
