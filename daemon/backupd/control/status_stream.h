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

/* Answers client with the status of the devices filters name (none = all), as status_json
 * would. extra (stolen, may be NULL) is merged into the reply's top level (refresh adds its
 * counts). The devices are the ones known now; each is read from the fleet when its piece is
 * written, and one forgotten meanwhile is left out. Each device has the fields of the mask,
 * and with detail its preconditions. */
void status_stream_reply(struct control_client *client, struct fleet *fleet,
                         const char *const *filters, size_t n_filters, device_field_mask fields,
                         bool detail, json_t *extra);

#endif
