/* SPDX-License-Identifier: ISC */
/* hotplug_udid: the one check of a serial usbmuxd reports, where it enters backupd. A USB
 * gadget can present any serial; only a UDID's shape ([0-9A-Za-z-]{1,40}) may reach the fleet,
 * backupctl, the journal and the state file. */
#ifndef BACKUPD_HOTPLUG_UDID_H
#define BACKUPD_HOTPLUG_UDID_H

#include <stdbool.h>
#include <stddef.h>

#define HOTPLUG_UDID_MAX_LEN 40

/* Whether udid (at most size bytes, maybe unterminated) has a UDID's shape. */
bool hotplug_udid_valid(const char *udid, size_t size);

/* hotplug_udid_valid, and when not: one warning with the serial cleaned (text_clean), at most
 * one a minute however many such devices come and go. Safe on any thread. */
bool hotplug_udid_accept(const char *udid, size_t size);

#endif
