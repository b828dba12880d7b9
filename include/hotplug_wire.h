/* SPDX-License-Identifier: ISC */
/* Messages from backupd's usbmuxd watcher process to its event loop.
 *
 * The watcher is a child process ("backupd --usbmuxd-watcher FD PARENT") holding the one
 * libusbmuxd event subscription; it exits when its usbmuxd connection ends, so every descriptor
 * libusbmuxd opened for it goes with it (libusbmuxd 2.0.2 never closes a Listen socket it
 * reconnects from). One SOCK_SEQPACKET datagram per event; the daemon checks size and magic. */
#ifndef BACKUPD_HOTPLUG_WIRE_H
#define BACKUPD_HOTPLUG_WIRE_H

#include <stdint.h>

#include "facts.h"

#define HOTPLUG_WIRE_MAGIC 0x42485731u /* "BHW1" */

enum hotplug_wire_kind {
	HOTPLUG_WIRE_ATTACHED = 1,
	HOTPLUG_WIRE_DETACHED,
	HOTPLUG_WIRE_PAIRED,
};

struct hotplug_wire_event {
	uint32_t magic;
	uint32_t kind; /* enum hotplug_wire_kind */
	char udid[UDID_MAX];
};

/* Runs the watcher: forwards USB device events on descriptor fd_text until usbmuxd's
 * connection ends or the daemon (pid parent_text) goes away. Returns the exit code. */
int hotplug_watch_main(const char *fd_text, const char *parent_text);

#endif
