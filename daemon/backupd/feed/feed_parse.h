/* SPDX-License-Identifier: ISC */
/* Parses Apple's System Status feed into struct feed_state (the iCloud Backup part only). */
#ifndef BACKUPD_FEED_PARSE_H
#define BACKUPD_FEED_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"

#define FEED_SERVICE_NAME "iCloud Backup"

/* Parses body (len bytes, not NUL-terminated: a bare JSON object, or the
 * "jsonCallback( ... );" wrapper, either optionally after a UTF-8 BOM).
 *
 * On success returns 0 and replaces the content of *state: active[] holds the events on
 * "iCloud Backup" whose eventStatus is "ongoing" or a value the feed has not used before
 * (neither resolved, completed nor upcoming) and that have not ended by now_unix;
 * upcoming[] holds the "upcoming" ones. Both keep the feed's order and at most
 * FEED_EVENTS_MAX entries. Which statusType fails a precondition is for the rules to decide:
 * an ongoing Maintenance is in active[] too. A feed without that service means operational.
 * have_good is set, last_good_unix = now_unix, and unreachable, unreachable_since and
 * last_error are cleared.
 *
 * On bad input (not JSON, truncated, an HTML page, no services array) returns -1, writes
 * a one-line reason to err and leaves *state untouched. */
int feed_parse(const char *body, size_t len, int64_t now_unix, struct feed_state *state, char *err,
               size_t err_size);

/* Parses "MM/DD/YYYY HH:MM ZONE" (ZONE: PST, PDT, UTC or GMT) into Unix seconds.
 * Returns -1 when text does not have that form. */
int feed_parse_local_date(const char *text, int64_t *out_unix);

#endif
