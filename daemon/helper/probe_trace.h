/* SPDX-License-Identifier: ISC */
/* probe_trace: where one probe's time went, for the fleet benchmarks. With BACKUPD_TRACE set
 * in the daemon's environment (helpers inherit it), every probe ends with one line on the
 * helper's stderr:
 *
 *   backupd-trace probe pid=P udid=U cold=0|1 ok=0|1 total_us=T cpu_us=C STEP_us=N
 *   STEP_cpu=M ... early_wakes=E list_reads=L
 *
 * early_wakes and list_reads count, since the helper started, the TLS handshake retries that
 * came before libimobiledevice's 100 ms (handshake_wait.h) and the usbmuxd device lists read
 * (device_lookup.h).
 * STEP is each step of probe.c (usbmuxd lookup, lockdownd handshake, each GetValue, the
 * diagnostics relay's start and its Wi-Fi query); the _cpu figures are the probing thread's
 * own CPU, so _us - _cpu is time spent waiting (on the phone, usbmuxd, a sleep in the
 * library, or for a core). Off (the default) it costs one branch per step.
 * tests/bench/reliab_bar.sh sums the lines. */
#ifndef BACKUPD_PROBE_TRACE_H
#define BACKUPD_PROBE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

enum probe_step {
	STEP_LOOKUP,    /* idevice_new: usbmuxd lookup of the UDID */
	STEP_HANDSHAKE, /* lockdownd connect, pair record, StartSession and its TLS handshake */
	STEP_ROOT,      /* GetValue of the root domain */
	STEP_PASSWORD,  /* GetValue PasswordProtected, when the root domain left it out */
	STEP_BACKUP,    /* GetValue com.apple.mobile.backup */
	STEP_BATTERY,   /* GetValue com.apple.mobile.battery */
	STEP_DISK,      /* GetValue com.apple.disk_usage */
	STEP_DIAG_OPEN, /* StartService diagnostics_relay, its connection and TLS handshake */
	STEP_WIFI,      /* the IORegistry queries */
	STEP_CLOSE,     /* closing a session (eviction or failure) */
	STEP_COUNT
};

struct probe_trace {
	bool on;
	bool cold; /* the probe opened a new lockdownd session */
	int64_t start_us, mark_us, cpu_start_us, cpu_mark_us;
	int64_t step_us[STEP_COUNT], step_cpu_us[STEP_COUNT];
};

/* Starts the clock of one probe (on only when BACKUPD_TRACE is set). */
void probe_trace_begin(struct probe_trace *t);
/* Charges the time since the last mark to step. */
void probe_trace_mark(struct probe_trace *t, enum probe_step step);
/* Writes the probe's line (when on). */
void probe_trace_end(const struct probe_trace *t, const char *udid, bool ok);

#endif
