/* SPDX-License-Identifier: ISC */
/* slot_json: the reply of the control protocol's "slots" verb, built from the fleet's records
 * and the [Hub]/[Slot] names. Pure (now is a parameter). Fields in control_protocol.h. */
#ifndef BACKUPD_SLOT_JSON_H
#define BACKUPD_SLOT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "device.h"
#include "slot_config.h"

json_t *slot_json(const struct device_record *const *devices, size_t n,
                  const struct port_names *names, int64_t now_unix);

#endif
