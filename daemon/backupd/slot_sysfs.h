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

/* Looks through ROOT/bus/usb/devices for the Apple device whose USB serial is udid (the
 * 24-digit form without its dash). Returns 0 and fills out, or -1 when there is none or
 * the tree cannot be read (usbmuxd over the network, a container without /sys). */
int slot_sysfs_find(const char *root, const char *udid, struct slot_port *out);

/* The USB serial an iPhone reports for udid: the UDID without dashes. */
void slot_usb_serial(const char *udid, char *out, size_t size);

#endif
