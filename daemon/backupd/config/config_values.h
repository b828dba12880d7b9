/* SPDX-License-Identifier: ISC */
/* config_values: parsers for the value types of backupd.conf that other code also reads. */
#ifndef BACKUPD_CONFIG_VALUES_H
#define BACKUPD_CONFIG_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "config_types.h"

/* Parses "90s", "5min", "36h", "2d", "500ms", "1h 30min" (bare number = seconds) into
 * milliseconds. Both parsers return 0, or -1 with errno EINVAL (not that kind of value) or
 * ERANGE (too large for int64_t). */
int config_parse_timespan_ms(const char *text, int64_t *out_ms);
/* Parses "127.0.0.1:9816 [::1]:9816" (a whitespace-separated list; IPv6 in brackets). Returns
 * 0, or -1 with why ("expected ...") written; an empty text is an empty list. */
int config_parse_listen(const char *text, struct listen_list *out, char *why, size_t why_size);
/* Parses "5G", "5GB", "500M", "1T", "1024" (bytes; K/M/G/T are powers of 1000, KiB.. of 1024). */
int config_parse_size_bytes(const char *text, int64_t *out_bytes);

#endif
