/* SPDX-License-Identifier: ISC */
/* status_stream: the status and refresh replies, written in pieces as the client reads. */
#ifndef BACKUPD_STATUS_STREAM_H
#define BACKUPD_STATUS_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "device_fields.h"

struct control_client;
struct fleet;

/* What each device in a reply carries and how: the fields of the mask, with detail its
 * preconditions too (an object), or as rows: "columns" names the mask's fields once and each
 * device is an array of their values (ignored with detail). */
struct status_shape {
	device_field_mask fields;
	bool detail;
	bool rows;
};

struct port_names;

/* Answers client with the status of the devices filters name (none = all), as status_json
 * would. extra (stolen, may be NULL) is merged into the reply's top level (refresh adds its
 * counts). The devices are the ones known now; each is read from the fleet when its piece is
 * written, and one forgotten meanwhile is left out. Each device is written as shape says. */
void status_stream_reply(struct control_client *client, struct fleet *fleet,
                         const struct port_names *names, const char *const *filters,
                         size_t n_filters, struct status_shape shape, json_t *extra);

#endif
