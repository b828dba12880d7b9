/* SPDX-License-Identifier: ISC */
/* backupd's configuration: /etc/backupd.conf, then drop-ins /etc/backupd.conf.d/NAME.conf. */
#ifndef BACKUPD_CONFIG_H
#define BACKUPD_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "config_keys.h" /* config_defaults */
#include "config_types.h"
#include "config_values.h"

/* Reads path (NULL or missing = defaults) and then, in strcmp order, every *.conf in
 * dropin_dir (NULL or missing = none; names starting with '.' are skipped). On success replaces
 * *config, freeing its devices: *config must hold defaults or an earlier load. On error returns
 * -1, leaves *config untouched, and writes "FILE:LINE: message" to err ("FILE: message" when
 * the file or directory itself cannot be read). */
int config_load(struct backupd_config *config, const char *path, const char *dropin_dir, char *err,
                size_t err_size);
/* The same, but a missing main file is an error: used when the file was named on the command
 * line, and on reload once a file was read (deleting it must not silently mean defaults).
 * Files that are not regular (a FIFO, a directory, a device) are refused by both, at once. */
int config_load_existing(struct backupd_config *config, const char *path, const char *dropin_dir,
                         char *err, size_t err_size);

void config_free(struct backupd_config *config);

/* The step config_load takes for the main file and for each drop-in, on text already open
 * (the fuzz target hands it an in-memory stream): parses file, called name in messages, into
 * *config, which holds defaults or the files before it. On error returns -1 with
 * "NAME:LINE: message" in err; *config may then be partly filled. */
int config_parse_file(struct backupd_config *config, FILE *file, const char *name, char *err,
                      size_t err_size);

/* The limits that apply to udid: fleet-wide, overridden by its [Device] section (UDIDs are
 * matched without regard to case). */
struct rule_limits config_limits_for(const struct backupd_config *config, const char *udid);

#endif
