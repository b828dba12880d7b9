/* SPDX-License-Identifier: ISC */
/* A per-probe deadline inside the helper. libimobiledevice 1.3.0 has no time limit on its TLS
 * handshake (it retries every 100 ms for ever) and fixed 30 s receive limits; its sockets are
 * non-blocking, so SO_RCVTIMEO changes nothing. When the deadline passes, a watchdog thread
 * shutdown()s every socket the probe may be using: the blocked call then sees end-of-file and
 * returns an error. Sockets that were open at arm time and are not the probed device's are
 * never touched, so other devices' cached sessions survive. shutdown() does not close the fd,
 * so no descriptor number is reused under the library's feet. */
#ifndef BACKUPD_PROBE_WATCHDOG_H
#define BACKUPD_PROBE_WATCHDOG_H

#include <stdbool.h>
#include <stddef.h>

#define PROBE_FDS_MAX 1024

struct probe_watchdog;

struct probe_watchdog *probe_watchdog_new(void);
void probe_watchdog_free(struct probe_watchdog *dog);

/* Starts a deadline. own_fds: already-open sockets that belong to this probe. */
void probe_watchdog_arm(struct probe_watchdog *dog, unsigned timeout_ms, const int *own_fds,
                        size_t own_count);
/* True once the deadline has passed (the probe should stop trying). */
bool probe_watchdog_fired(struct probe_watchdog *dog);
/* Ends it; true when the deadline passed and sockets were shut down. */
bool probe_watchdog_disarm(struct probe_watchdog *dog);

/* The socket descriptors open in this process, ascending; returns how many (at most max). */
size_t probe_fds_sockets(int *fds, size_t max);

#endif
