#!/bin/sh
# SPDX-License-Identifier: ISC
# /metrics benchmark (issue 11): a 1000-device fleet on idevice-sim behind a Release backupd.
# Not part of ctest.
#
#   sh tests/bench/metrics_bench.sh [--runs R]
#
# Prints: the median and max render time of a scrape as the daemon measures it
# (backupd_scrape_duration_seconds), the client's time per scrape and the bytes served, over
# 50 scrapes one after another; then R times (default 3) 100 scrapes sent at once while a
# prober asks for a 404 page every 1 ms, with the longest wait a probe saw (the loop's longest
# stall as a client sees it) and, from the daemon's own 1 ms loop tick (BACKUPD_TRACE=loop),
# its longest stretch of work between two ticks and how late a tick came. Aim: a scrape
# within 10 ms, no stall over 5 ms. All of it twice:
# plain, then asking with Accept-Encoding: gzip as Prometheus does (bytes on the wire shrink
# about 11x; the compression runs in slices on the loop).
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD:-$SRC/build-bench} # BENCH_BUILD: a Release tree built already
RUNS=3
[ "${1:-}" = "--runs" ] && RUNS=$2

echo "building Release into $BUILD ..." >&2
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_BENCH=ON -DBACKUPD_SANITIZE=OFF \
	>/dev/null
cmake --build "$BUILD" -j2 --target backupd idevice-sim metrics_bench >/dev/null

. "$SRC/tests/bench/bench_lib.sh"
bench_work mbench
export BACKUPD_LOG_TARGET=stderr
# The daemon's 1 ms loop tick (daemon/backupd/base/loop_trace.h): its own longest stretch of
# work (busy) beside the prober's view, which also holds the time the loop was off the CPU.
export BACKUPD_TRACE=loop
fail() {
	echo "metrics_bench: $*" >&2
	exit 1
}
. "$SRC/tests/integration/metrics_lib.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PORT=$(free_port)
bench_sim --devices 1000 --seed 1
bench_config "[Probe]
PollInterval=1h
Workers=16
ProbeTimeout=30s
[Metrics]
Listen=127.0.0.1:$PORT
MaxConnections=256"
bench_wait_probed "$PORT" 1000

B="$BUILD/tests/bench/metrics_bench"
ms() { echo $(($(date +%s%N) / 1000000)); }
# The loop tick's lines from FROM_MS to 100 ms after TO_MS (a line closes its 100 ms).
loop_max() {
	awk -v a="$1" -v b="$2" '$1 == "backupd-trace" && $2 == "loop" {
		delete f
		for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] + 0 }
		if (f["at_ms"] >= a && f["at_ms"] <= b + 100) {
			n++
			if (f["busy_max_ms"] > bm) bm = f["busy_max_ms"]
			if (f["late_max_ms"] > lm) lm = f["late_max_ms"]
		}
	}
	END { if (n) printf "loop_busy_max_ms=%.2f loop_late_max_ms=%.2f", bm, lm; else printf "loop_late_max_ms<2" }' \
		"$WORK/daemon.log"
}
echo "backupd /metrics benchmark, 1000 devices, $(nproc) cores, $(date -u +%F), load average $(cut -d" " -f1-3 /proc/loadavg)"
for enc in identity gzip; do
	arg=""
	[ $enc = gzip ] && arg=gzip
	printf '  %s, serial, 50 scrapes:    ' "$enc"
	"$B" serial "$PORT" 50 $arg
	r=1
	while [ $r -le "$RUNS" ]; do
		printf '  %s, 100 at once, run %d:    ' "$enc" "$r"
		t0=$(ms)
		line=$("$B" concurrent "$PORT" 100 $arg)
		t1=$(ms)
		sleep 0.2 # the tick's line for the last 100 ms
		echo "$line; the loop itself: $(loop_max "$t0" "$t1") (busy: its own work between two ticks)"
		r=$((r + 1))
	done
done
