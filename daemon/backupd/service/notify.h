/* SPDX-License-Identifier: ISC */
/* notify: the daemon's side of systemd's service protocol (sd_notify). All calls are no-ops
 * when not started by systemd (NOTIFY_SOCKET unset). */
#ifndef BACKUPD_NOTIFY_H
#define BACKUPD_NOTIFY_H

#include <stdint.h>

struct event_base;

void notify_ready(const char *status);
void notify_status(const char *status); /* sent only when it changed */
void notify_reloading(void);
void notify_stopping(void);
/* Starts WATCHDOG=1 pings from the loop at half of WatchdogSec, when systemd asked for them. */
void notify_watchdog_start(struct event_base *base);
void notify_watchdog_stop(void);

#endif
