/* SPDX-License-Identifier: ISC */
/* The shape check of usbmuxd serials. See hotplug_udid.h. */
#include <stdatomic.h>
#include <string.h>

#include "clock.h"
#include "hotplug_udid.h"
#include "journal.h"
#include "text_clean.h"

#define REJECT_LOG_EVERY_MS 60000

static bool udid_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '-';
}

bool hotplug_udid_valid(const char *udid, size_t size)
{
	size_t len = strnlen(udid, size);
	if (len == 0 || len > HOTPLUG_UDID_MAX_LEN || len == size)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!udid_char(udid[i]))
			return false;
	return true;
}

/* Both libusbmuxd's event thread and the enumeration thread call in. */
static _Atomic int64_t next_log_ms;
static _Atomic unsigned long unlogged;

bool hotplug_udid_accept(const char *udid, size_t size)
{
	if (hotplug_udid_valid(udid, size))
		return true;
	int64_t now = clock_monotonic_ms(), due = atomic_load(&next_log_ms);
	if (now < due ||
	    !atomic_compare_exchange_strong(&next_log_ms, &due, now + REJECT_LOG_EVERY_MS)) {
		atomic_fetch_add(&unlogged, 1);
		return false;
	}
	char shown[4 * 64 + 1];
	text_clean(shown, sizeof(shown), udid, strnlen(udid, size));
	unsigned long more = atomic_exchange(&unlogged, 0);
	log_warning("ignoring a USB device whose serial is not a UDID ([0-9A-Za-z-]{1,%d}): "
	            "\"%s\" (%lu more since the last such line)",
	            HOTPLUG_UDID_MAX_LEN, shown, more);
	return false;
}
