/* SPDX-License-Identifier: ISC */
/* The replies of the control protocol, built from the daemon's state. Pure: no I/O, no
 * clock (now is a parameter), so the same state always gives the same JSON. Field names
 * are documented in control_protocol.h and are stable. */
#ifndef BACKUPD_STATUS_JSON_H
#define BACKUPD_STATUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "device.h"
#include "device_fields.h"
#include "feed.h"
#include "slot_config.h"

/* The status reply {"ok":true,"now","summary","feed","devices"} (no "v": the server adds
 * it). Devices are sorted by name, then UDID; when names holds [Hub]/[Slot] sections, phones
 * in configured ports come first in cart and slot order. filters (UDIDs or device names, matched
 * exactly) select devices; none = all. When a filter matches no device the reply is
 * {"ok":false,"error":"no such device: a, b","unmatched":["a","b"]}. feed NULL = none yet.
 * detail adds every precondition's state, reason and fix to each device. */
json_t *status_json(const struct device_record *const *devices, size_t n,
                    const struct port_names *names, const struct feed_state *feed, int64_t now_unix,
                    const char *const *filters, size_t n_filters, bool detail);

/* The status reply without "devices" (the error reply when a filter matches nothing). On
 * success *out_sorted holds the matching devices in reply order (the caller frees the array);
 * on error it is NULL. For replies written in pieces (status_stream.c). */
json_t *status_json_head(const struct device_record *const *devices, size_t n,
                         const struct port_names *names, const struct feed_state *feed,
                         int64_t now_unix, const char *const *filters, size_t n_filters,
                         const struct device_record ***out_sorted, size_t *out_n);

/* One device's object as it appears in "devices": the fields of the mask (device_fields.h),
 * and with detail its preconditions. */
json_t *device_json(const struct device_record *device, const struct port_names *names,
                    device_field_mask fields, bool detail);

/* A device's "preconditions" array (with detail). */
json_t *preconditions_json(const struct device_record *device);

#endif
