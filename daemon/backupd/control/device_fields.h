/* SPDX-License-Identifier: ISC */
/* The fields of one device in a status reply: one table (device_fields.c), so a field is one
 * line, and a client that prints a few columns asks for those alone ("fields" in
 * control_protocol.h): at 1000 phones the reply it must parse is then a third smaller. */
#ifndef BACKUPD_DEVICE_FIELDS_H
#define BACKUPD_DEVICE_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "device.h"
#include "slot_config.h"
#include "text_buffer.h"

/* One bit per field of the table, in reply order. */
typedef uint32_t device_field_mask;
#define DEVICE_FIELDS_ALL UINT32_MAX

/* The mask of a request's "fields": absent = all; names this daemon does not know are left
 * out (a newer client may ask for more). false, with *why set, when "fields" is not an array
 * of strings. */
bool device_fields_from_request(const json_t *fields, device_field_mask *mask, const char **why);

/* The device's object with the fields of mask, in table order. */
json_t *device_fields_json(const struct device_record *device, const struct port_names *names,
                           device_field_mask mask);

/* The same object as text (JSON), appended to out: what the status stream writes. */
void device_fields_text(struct text_buffer *out, const struct device_record *device,
                        const struct port_names *names, device_field_mask mask);

/* The same values as a row, [v1,v2,...] in table order, a field with no value (a "restarting"
 * an object leaves out) null: what a status reply with "rows" writes per device. */
void device_fields_row_text(struct text_buffer *out, const struct device_record *device,
                            const struct port_names *names, device_field_mask mask);

/* The names of the mask's fields in table order: a rows reply's "columns". */
json_t *device_fields_names(device_field_mask mask);

#endif
