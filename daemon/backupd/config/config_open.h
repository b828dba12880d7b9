/* SPDX-License-Identifier: ISC */
/* config_open: opening a configuration file without ever blocking on what is not a file. */
#ifndef BACKUPD_CONFIG_OPEN_H
#define BACKUPD_CONFIG_OPEN_H

#include <stddef.h>
#include <stdio.h>

/* Opens path for reading if it is a regular file. Otherwise returns NULL with errno set
 * (ENOENT when it does not exist) and a sentence for the admin in why. */
FILE *config_open_regular(const char *path, char *why, size_t why_size);

#endif
