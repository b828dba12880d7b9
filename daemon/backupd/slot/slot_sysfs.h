/* SPDX-License-Identifier: ISC */
/* slot_sysfs: which USB port a phone is in, read from the kernel's USB tree. Blocking file
 * reads: called on slot_lookup's thread, never on the loop. */
#ifndef BACKUPD_SLOT_SYSFS_H
#define BACKUPD_SLOT_SYSFS_H

#include <stddef.h>

#include "slot_record.h"

struct slot_port {
	char port_path[PORT_PATH_MAX]; /* "1-2.3": the kernel's name of the port */
	int speed_mbps;                /* link speed; 0 when unreadable */
};

/* One phone to look for; found is set when its port was found in the tree. */
struct slot_query {
	const char *udid;
	char serial[UDID_MAX]; /* filled by slot_sysfs_find */
	struct slot_port port;
	int found;
};

/* Looks through ROOT/bus/usb/devices once for the Apple devices whose USB serials are the
 * queries' UDIDs (the 24-digit form without its dash). Returns how many were found; -1 when
 * the tree cannot be read (usbmuxd over the network, a container without /sys). */
int slot_sysfs_find(const char *root, struct slot_query *queries, size_t n);

/* The USB serial an iPhone reports for udid: the UDID without dashes. */
void slot_usb_serial(const char *udid, char *out, size_t size);

#endif
