/* SPDX-License-Identifier: ISC */
/* device_lookup: usbmuxd_get_device from a shared device list; see device_lookup.h. */
/* RTLD_NEXT needs _GNU_SOURCE, which the build defines */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <usbmuxd.h>

#include "device_lookup.h"

#define LIST_TTL_MS 5000

typedef int (*get_device_fn)(const char *, usbmuxd_device_info_t *, enum usbmux_lookup_options);

struct lookup_state {
	bool open, from_cache;
	usbmuxd_device_info_t *list; /* ends with handle 0 */
	int64_t read_ms;
	unsigned long reads;
};

/* Only the probing thread opens a window; other threads go straight to libusbmuxd. */
static _Thread_local bool window_open;
static struct lookup_state state;

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void device_lookup_begin(void)
{
	window_open = true;
	state.from_cache = false;
}

bool device_lookup_end(void)
{
	window_open = false;
	return state.from_cache;
}

void device_lookup_invalidate(void)
{
	if (state.list)
		usbmuxd_device_list_free(&state.list);
	state.list = NULL;
}

unsigned long device_lookup_list_reads(void)
{
	return state.reads;
}

static const usbmuxd_device_info_t *find(const char *udid)
{
	for (const usbmuxd_device_info_t *d = state.list; d && d->handle != 0; d++)
		if (d->conn_type == CONNECTION_TYPE_USB && strcmp(d->udid, udid) == 0)
			return d;
	return NULL;
}

static int cached_lookup(const char *udid, usbmuxd_device_info_t *device)
{
	const usbmuxd_device_info_t *found = NULL;
	if (state.list && monotonic_ms() - state.read_ms < LIST_TTL_MS)
		found = find(udid);
	state.from_cache = found != NULL;
	if (!found) {
		device_lookup_invalidate();
		if (usbmuxd_get_device_list(&state.list) < 0) {
			state.list = NULL;
			return -ENODEV;
		}
		state.read_ms = monotonic_ms();
		state.reads++;
		found = find(udid);
	}
	if (!found)
		return 0;
	*device = *found;
	return 1;
}

int usbmuxd_get_device(const char *udid, usbmuxd_device_info_t *device,
                       enum usbmux_lookup_options options)
{
	/* 0 means USB only too (usbmuxd.h) */
	if (window_open && udid && device && (options & ~DEVICE_LOOKUP_USBMUX) == 0)
		return cached_lookup(udid, device);
	static get_device_fn real;
	get_device_fn fn = __atomic_load_n(&real, __ATOMIC_ACQUIRE);
	if (!fn) {
		fn = (get_device_fn)dlsym(RTLD_NEXT, "usbmuxd_get_device");
		__atomic_store_n(&real, fn, __ATOMIC_RELEASE);
	}
	return fn ? fn(udid, device, options) : -ENODEV;
}
