#!/bin/sh
# SPDX-License-Identifier: ISC
# Sums the BACKUPD_TRACE lines (daemon/helper/probe_trace.h, probe_pool.c) of a daemon log:
# where the time of a batch of probes went, per step and per helper.
#
#   sh tests/bench/trace_summary.sh LOG WALL_MS [FIRST_LINE]
#
# LOG: the daemon's stderr; WALL_MS: the batch's wall time, to set the helpers' busy time
# against; FIRST_LINE: count only lines from this line of LOG on (default 1).
set -eu
LOG=$1
WALL_MS=$2
FROM=${3:-1}
tail -n "+$FROM" "$LOG" | awk -v wall_ms="$WALL_MS" '
function kv(   i, p) { delete f; for (i = 3; i <= NF; i++) { p = index($i, "="); f[substr($i, 1, p - 1)] = substr($i, p + 1) } }
function ms(us) { return sprintf("%.1f", us / 1000) }
$1 == "backupd-trace" && $2 == "probe" {
	kv(); n++; cold += f["cold"]; if (f["ok"] != 1) failed++
	total += f["total_us"]; cpu += f["cpu_us"]
	for (k in f) if (k ~ /_(us|cpu)$/ && k != "total_us" && k != "cpu_us") step[k] += f[k]
	pids[f["pid"]] += f["total_us"]
	if (f["cold"] == 1) { hs[++nhs] = f["handshake_us"]; dg[++ndg] = f["diag_open_us"] }
}
$1 == "backupd-trace" && $2 == "job" {
	kv(); jobs++; wait += f["wait_ms"]; run += f["run_ms"]; if (f["wait_ms"] + 0 > wait_max) wait_max = f["wait_ms"] + 0
	slots[f["slot"]] = 1
}
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return k ? a[int((k + 1) / 2)] : 0
}
END {
	if (!n) { print "   trace: no BACKUPD_TRACE lines"; exit }
	printf "   trace of %d probes (%d opened a session, %d failed), mean per probe in ms:\n", n, cold, failed
	line = "    "
	split("lookup handshake root password backup battery disk diag_open wifi close", order, " ")
	for (i = 1; i <= 10; i++) line = line sprintf(" %s %s (cpu %s)", order[i], ms(step[order[i] "_us"] / n), ms(step[order[i] "_cpu"] / n))
	print line
	printf "     total %s, of it helper CPU %s (the rest waits: on the phone, usbmuxd, or the library'"'"'s 100 ms TLS sleep)\n", ms(total / n), ms(cpu / n)
	if (nhs) printf "     cold sessions: handshake median %s ms, diagnostics relay start median %s ms\n", ms(median(hs, nhs)), ms(median(dg, ndg))
	h = 0; busiest = 0
	for (p in pids) { h++; if (pids[p] > busiest) busiest = pids[p] }
	printf "   helpers: %d served; busy %.1f s in all = %.2f s each if shared evenly, the busiest %.2f s; wall %.2f s\n", h, total / 1e6, total / 1e6 / h, busiest / 1e6, wall_ms / 1000
	if (jobs) printf "   daemon side: %d jobs, queue wait mean %.0f ms, max %d ms; helper round trip mean %.1f ms (the helper'"'"'s own %.1f)\n", jobs, wait / jobs, wait_max, run / jobs, total / n / 1000
}'
