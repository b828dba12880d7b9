/* SPDX-License-Identifier: ISC */
/* handshake_wait: libimobiledevice's 100 ms handshake sleep as a poll; see handshake_wait.h. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handshake_wait.h"
#include "probe_watchdog.h"

#define LIBRARY_SLEEP_NS 100000000L /* idevice_connection_enable_ssl's retry */
#define WAKES_MAX        50

struct window {
	bool open;
	int before[PROBE_FDS_MAX];
	size_t before_count;
	unsigned wakes;
};

static _Thread_local struct window window;
static unsigned long early_wakes; /* one probing thread per helper: no lock needed */

void handshake_wait_begin(const int *before, size_t count)
{
	window.open = true;
	window.before_count = count < PROBE_FDS_MAX ? count : PROBE_FDS_MAX;
	memcpy(window.before, before, window.before_count * sizeof(*before));
	window.wakes = 0;
}

void handshake_wait_end(void)
{
	window.open = false;
}

unsigned long handshake_wait_early_wakes(void)
{
	return early_wakes;
}

static int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* true when one of the window's new sockets became readable within the library's 100 ms. */
static bool poll_new_sockets(void)
{
	int now[PROBE_FDS_MAX];
	size_t now_count = probe_fds_sockets(now, PROBE_FDS_MAX), n = 0;
	struct pollfd fds[PROBE_FDS_MAX];
	for (size_t i = 0; i < now_count; i++)
		if (!bsearch(&now[i], window.before, window.before_count, sizeof(int), compare_int))
			fds[n++] = (struct pollfd){.fd = now[i], .events = POLLIN};
	int ready = poll(fds, (nfds_t)n, (int)(LIBRARY_SLEEP_NS / 1000000L));
	return ready > 0;
}

static int sleep_whole(const struct timespec *req, struct timespec *rem)
{
	int err = clock_nanosleep(CLOCK_REALTIME, 0, req, rem);
	if (err == 0)
		return 0;
	errno = err;
	return -1;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!window.open || !req || req->tv_sec != 0 || req->tv_nsec != LIBRARY_SLEEP_NS ||
	    window.wakes >= WAKES_MAX)
		return sleep_whole(req, rem);
	if (poll_new_sockets()) {
		window.wakes++;
		__atomic_add_fetch(&early_wakes, 1, __ATOMIC_RELAXED);
	}
	return 0;
}
