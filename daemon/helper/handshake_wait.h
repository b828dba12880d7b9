/* SPDX-License-Identifier: ISC */
/* handshake_wait: a TLS handshake that waits for the phone's answer, not for 100 ms.
 *
 * libimobiledevice 1.3.0 drives its TLS handshakes (lockdownd's StartSession, every service
 * with SSL) on a non-blocking socket: while SSL_do_handshake wants to read, it sleeps 100 ms
 * with nanosleep() and tries again (idevice_connection_enable_ssl). The phone answers in a
 * millisecond or two, so each handshake costs a whole 100 ms of nothing: two per cold probe
 * (the session, the diagnostics relay), 200 of the 274 ms a cold probe took at 1000 phones
 * (BACKUPD_TRACE, tests/bench/reliab_bar.sh).
 *
 * The helper therefore defines nanosleep() itself: the library's call binds to the
 * executable's definition before libc's. Outside a window opened by handshake_wait_begin on
 * the probing thread, or for any other duration, it sleeps as libc's does. Inside, a 100 ms
 * sleep becomes a poll() of the sockets opened since the window began, for at most the same
 * 100 ms: the retry comes as soon as the phone's record arrives, and a phone that does not
 * answer still costs 100 ms a try, bounded by the probe's watchdog as before. A socket that
 * stays readable without the handshake moving on (not the handshake's own) would make the
 * retries spin: after WAKES_MAX early wakes in one window the sleeps are whole again. */
#ifndef BACKUPD_HANDSHAKE_WAIT_H
#define BACKUPD_HANDSHAKE_WAIT_H

#include <stddef.h>

/* Opens the window on this thread; before: the sockets open now (ascending), which are never
 * polled (other phones' sessions). */
void handshake_wait_begin(const int *before, size_t count);
void handshake_wait_end(void);
/* Early wakes since the process started (for tests). */
unsigned long handshake_wait_early_wakes(void);

#endif
