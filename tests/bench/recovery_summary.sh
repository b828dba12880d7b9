#!/bin/sh
# SPDX-License-Identifier: ISC
# Where each usbmuxd restart's recovery went, from the BACKUPD_TRACE lines of a daemon log
# (daemon/backupd/hotplug/hotplug.c: the watcher's start and end, its first attach event;
# daemon/backupd/probe/probe_pool.c: each finished probe) set against the benchmark's own
# timestamps (reliab_bar.sh):
#
#   sh tests/bench/recovery_summary.sh LOG RESTARTS
#
# RESTARTS: one line per restart, "DOWN_MS UP_MS LISTED_MS" (wall-clock ms; LISTED_MS is when
# backupctl first listed every phone attached again, or - if it never did). Prints per restart
# and as median / max: from "up" to the watcher that saw the phones starting (negative: it was
# already waiting), to its first attach event, to every phone listed, to the last phone's
# first probe; the probes in the cycle; the watchers that ended after the first attach (each
# detaches every phone, which then attaches and is probed again); and the watcher restarts
# with back-off between "down" and the first attach; libusbmuxd's short header reads (a header
# that usbmuxd wrote in two pieces: libusbmuxd falls out of step, waits 5 s and reconnects,
# hotplug_watch.c).
set -eu
LOG=$1
RESTARTS=$2
awk '
function kv(   i, p) { delete f; for (i = 3; i <= NF; i++) { p = index($i, "="); f[substr($i, 1, p - 1)] = substr($i, p + 1) } }
FNR == NR { n++; down[n] = $1; up[n] = $2; listed[n] = $3; next }
$1 == "backupd-trace" && $2 == "usbmuxd" { kv(); ev++; kind[ev] = $3; at[ev] = f["at_ms"] + 0; resp[ev] = f["respawn_ms"] + 0 }
$1 == "backupd-trace" && $2 == "job" { kv(); jobs++; job_at[jobs] = f["at_ms"] + 0 }
$1 == "backupd-trace" && /at_ms=/ { kv(); if (f["at_ms"] + 0 > last_at) last_at = f["at_ms"] + 0 }
# libusbmuxd'"'"'s own errors (the watcher sets its debug level under BACKUPD_TRACE) carry no time:
# they count for the cycle of the trace line before them.
/Received packet is too small/ { short_at[++shorts] = last_at }
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return k ? a[int((k + 1) / 2)] : "-"
}
function maxof(a, k,   i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] > m) m = a[i]; return k ? m : "-" }
END {
	printf "   %3s %9s %9s %9s %9s %9s %6s %6s %s\n", "#", "watcher", "attach", "listed", "probed", "probes", "ends", "short", "back-offs (max ms) between down and attach"
	for (i = 1; i <= n; i++) {
		u = up[i]; d = down[i]; nextd = (i < n) ? down[i + 1] : 1e18
		fa = -1; ws = ""; boffs = 0; bmax = 0; ends = 0
		for (e = 1; e <= ev; e++) {
			if (kind[e] == "watcher_start" && at[e] <= u + 60000 && fa < 0) ws = at[e] - u
			if (kind[e] == "first_attach" && at[e] >= u && fa < 0) fa = at[e] - u
			if (kind[e] == "watcher_end" && fa >= 0 && at[e] >= u + fa && at[e] < nextd) ends++
			if (kind[e] == "watcher_end" && at[e] >= d && (fa < 0 || at[e] <= u + fa) && at[e] < nextd && resp[e] > 0) {
				boffs++; if (resp[e] > bmax) bmax = resp[e]
			}
		}
		last = -1; cnt = 0
		for (j = 1; j <= jobs; j++) if (job_at[j] >= u && job_at[j] < nextd) { cnt++; if (job_at[j] - u > last) last = job_at[j] - u }
		li = (listed[i] == "-") ? "-" : listed[i] - u
		sh = 0
		for (j = 1; j <= shorts; j++) if (short_at[j] >= d && short_at[j] < nextd) sh++
		printf "   %3d %9s %9s %9s %9s %9d %6d %6d %d (%d)\n", i, ws, fa, li, last, cnt, ends, sh, boffs, bmax
		if (li != "-" && li > 3000) { slow++; if (sh > 0) slow_short++ }
		if (fa >= 0) A[++na] = fa
		if (li != "-") L[++nl] = li
		if (last >= 0) P[++np] = last
		B[++nb] = boffs; E[++ne] = ends
	}
	printf "   restarts listed after more than 3 s: %d, of them with libusbmuxd short header reads (column short): %d\n", slow, slow_short
	printf "   median / max: first attach %s / %s ms, listed %s / %s ms, last first probe %s / %s ms, back-offs %s / %s, watcher ends after the first attach %s / %s\n", median(A, na), maxof(A, na), median(L, nl), maxof(L, nl), median(P, np), maxof(P, np), median(B, nb), maxof(B, nb), median(E, ne), maxof(E, ne)
}' "$RESTARTS" "$LOG"
