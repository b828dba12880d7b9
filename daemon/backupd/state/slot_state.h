/* SPDX-License-Identifier: ISC */
/* slot_state: a phone's slot_record in the state file (the "slot" member of a device). */
#ifndef BACKUPD_SLOT_STATE_H
#define BACKUPD_SLOT_STATE_H

#include <jansson.h>

#include "slot_record.h"

json_t *slot_state_to_json(const struct slot_record *rec);
/* obj NULL (a file from before slots) leaves rec zeroed. Returns NULL, or what is wrong. */
const char *slot_state_from_json(json_t *obj, struct slot_record *rec);

#endif
