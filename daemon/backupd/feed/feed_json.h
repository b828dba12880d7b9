/* SPDX-License-Identifier: ISC */
/* The feed object of the control protocol (fields in control_protocol.h). */
#ifndef BACKUPD_FEED_JSON_H
#define BACKUPD_FEED_JSON_H

#include <jansson.h>

#include "feed.h"

/* The feed object; NULL feed gives {"state":"unknown",...}. */
json_t *feed_json(const struct feed_state *feed);

#endif
