/* SPDX-License-Identifier: ISC */
/* Talking to one device with libimobiledevice 1.3.0, inside a probe helper process.
 *
 * A cache keeps each device's paired lockdownd session (TLS) and its diagnostics_relay
 * connection open between probes, because each new TLS session costs >= 100 ms in 1.3.0.
 * A dropped cached session is re-created once per probe, transparently. Single-threaded use;
 * the cache owns one watchdog thread that bounds every probe by its timeout. The caller must
 * ignore SIGPIPE: OpenSSL writes to sockets the watchdog or the device has shut. */
#ifndef BACKUPD_PROBE_H
#define BACKUPD_PROBE_H

#include <stddef.h>

#include "facts.h"

struct probe_cache;

/* max_sessions: how many devices keep a session; the least recently probed is closed. */
struct probe_cache *probe_cache_new(size_t max_sessions);
/* Closes the cached session of udid, if any (the device left or was re-paired). */
void probe_cache_forget(struct probe_cache *cache, const char *udid);
void probe_cache_free(struct probe_cache *cache);

/* Probes udid, reusing its cached session; fills out completely (status, error, facts,
 * probed_at_unix, probe_ms). Returns within about timeout_ms even when the device hangs.
 * flags: enum probe_flag (PROBE_FLAG_NO_PAIR: never ask the phone to Pair). */
void probe_run(struct probe_cache *cache, const char *udid, unsigned timeout_ms, unsigned flags,
               struct device_facts *out);

#endif
