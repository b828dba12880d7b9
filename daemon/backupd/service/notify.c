/* SPDX-License-Identifier: ISC */
/* sd_notify wrappers. The watchdog ping runs on the event loop, so a stuck loop stops it and
 * systemd restarts the daemon. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "clock.h"
#include "notify.h"
#include "xmalloc.h"

static char last_status[256];
static struct event *watchdog_timer;

void notify_ready(const char *status)
{
	strlcpy_safe(last_status, status, sizeof(last_status));
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void notify_status(const char *status)
{
	if (strcmp(status, last_status) == 0)
		return;
	strlcpy_safe(last_status, status, sizeof(last_status));
	sd_notifyf(0, "STATUS=%s", status);
}

void notify_reloading(void)
{
	/* MONOTONIC_USEC lets newer systemd match the reload; older ones ignore it. */
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%lld", (long long)clock_monotonic_ms() * 1000);
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

static void watchdog_ping(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

void notify_watchdog_start(struct event_base *base)
{
	uint64_t usec = 0;
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	watchdog_timer = event_new(base, -1, EV_PERSIST, watchdog_ping, NULL);
	struct timeval half = clock_timeval_ms((int64_t)(usec / 2000));
	event_add(watchdog_timer, &half);
	watchdog_ping(-1, 0, NULL);
}

void notify_watchdog_stop(void)
{
	if (watchdog_timer)
		event_free(watchdog_timer);
	watchdog_timer = NULL;
}
