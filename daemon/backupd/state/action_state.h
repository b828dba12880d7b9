/* SPDX-License-Identifier: ISC */
/* action_state: the days of a phone's auto_memory (device.h) in the state file: the "auto"
 * member of a device, {"enable-backup": DAY, "restart": DAY}, named as [Actions] Allow= names
 * the actions. */
#ifndef BACKUPD_ACTION_STATE_H
#define BACKUPD_ACTION_STATE_H

#include <jansson.h>
#include <stdint.h>

#include "action_names.h"

json_t *action_state_to_json(const int64_t auto_day[ACTION_KIND_COUNT]);
/* obj NULL (a file from before automation) leaves every day 0. Returns NULL, or what is
 * wrong. */
const char *action_state_from_json(json_t *obj, int64_t auto_day[ACTION_KIND_COUNT]);

#endif
