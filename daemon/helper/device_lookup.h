/* SPDX-License-Identifier: ISC */
/* device_lookup: one usbmuxd device list read for many cold sessions, not one per session.
 *
 * libimobiledevice 1.3.0's idevice_new_with_options looks a UDID up with libusbmuxd 2.0's
 * usbmuxd_get_device, which asks usbmuxd for the whole device list and parses it, every time:
 * at 1000 phones that is 8 ms of a helper's CPU per cold session, half of all the CPU a cold
 * probe costs (BACKUPD_TRACE, tests/bench/reliab_bar.sh), and the fleet's first read does it
 * 1000 times over. The helper defines usbmuxd_get_device itself (the library's call binds to
 * the executable's definition first): inside a window opened by device_lookup_begin on the
 * probing thread, a USB lookup is answered from a list read at most LIST_TTL_MS ago (read
 * again when the UDID is not in it); outside a window, or for other lookups, libusbmuxd's own
 * function answers. A handle in the list may be stale (the phone left, or came back with a
 * new one): the connection to it fails, the caller calls device_lookup_invalidate and looks
 * up again (probe.c). */
#ifndef BACKUPD_DEVICE_LOOKUP_H
#define BACKUPD_DEVICE_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

void device_lookup_begin(void);
/* Ends the window; true when a lookup in it was answered from an old list. */
bool device_lookup_end(void);
/* The next lookup reads the list again (a handle from it failed, or a phone left). */
void device_lookup_invalidate(void);
/* Device lists read since the process started (for tests and the trace). */
unsigned long device_lookup_list_reads(void);

#endif
