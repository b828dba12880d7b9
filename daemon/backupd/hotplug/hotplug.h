/* SPDX-License-Identifier: ISC */
/* hotplug: usbmuxd device events, handed from libusbmuxd's thread to the event loop, and
 * whether usbmuxd is there at all (Debian's usbmuxd exits when the last device leaves). */
#ifndef BACKUPD_HOTPLUG_H
#define BACKUPD_HOTPLUG_H

#include <stdbool.h>

struct event_base;
struct hotplug;

enum hotplug_kind { HOTPLUG_ATTACHED, HOTPLUG_DETACHED, HOTPLUG_PAIRED };

struct hotplug_callbacks {
	void (*device)(void *arg, enum hotplug_kind kind, const char *udid);
	/* Called on the loop when usbmuxd appears or disappears, and once at start. */
	void (*usbmuxd)(void *arg, bool present);
	/* Called once, on the loop, when the first enumeration has finished (or failed). */
	void (*enumerated)(void *arg, int n_devices);
	void *arg;
};

/* Call evthread_use_pthreads() before creating base. */
struct hotplug *hotplug_new(struct event_base *base, const struct hotplug_callbacks *callbacks);
void hotplug_free(struct hotplug *hotplug);

/* Where libusbmuxd connects: USBMUXD_SOCKET_ADDRESS "UNIX:/path", else /var/run/usbmuxd.
 * Returns false when it is a TCP address (presence then cannot be checked cheaply). */
bool hotplug_usbmuxd_path(char *path, size_t size);
/* Whether usbmuxd accepts connections now (a UNIX connect answers at once); true when its
 * address is TCP, which cannot be checked cheaply. */
bool hotplug_usbmuxd_listening(void);

#endif
