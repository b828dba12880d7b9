/* SPDX-License-Identifier: ISC */
/* The one spelling of a USB port's name, shared by backupd (verdict texts, journal) and
 * backupctl (tables): "Cart 3/7"; "Cart 3" or "7" when only one is named; the port path
 * ("1-2.3") when nothing names it; "" when the port is not known. */
#ifndef BACKUPD_SLOT_LABEL_H
#define BACKUPD_SLOT_LABEL_H

#include <stddef.h>

/* Any argument may be NULL or "". Returns buf. */
const char *slot_label_format(const char *cart, const char *slot, const char *port_path, char *buf,
                              size_t size);

#endif
