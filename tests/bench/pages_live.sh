#!/bin/sh
# SPDX-License-Identifier: ISC
# Cart pages under load: a 1000-phone cart (idevice-sim's sysfs tree: 7-port hubs on root ports
# 1-16 of buses 1-9, named as one cart by [Hub] sections), 50 open live pages, 100 phones
# changing state (unlocked, probed, locked again: pages_live.py), and metrics_bench's prober
# asking for a 404 page every 1 ms, whose longest wait bounds the loop's longest stall from
# above. Release build in build-rel. Not part of ctest; run with `heavy --alone`.
#   sh tests/bench/pages_live.sh [SECONDS] [RUNS]
# Prints each run's figures, then the median of the runs.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$SRC/build-rel"
SECONDS_RUN=${1:-30}
RUNS=${2:-3}
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_BENCH=ON -DBACKUPD_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" -j2 --target backupd idevice-sim backupctl metrics_bench >/dev/null
. "$SRC/tests/bench/bench_lib.sh"
bench_work pbench
fail() {
	echo "pages_live: $*" >&2
	exit 1
}
. "$SRC/tests/integration/metrics_lib.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=$(free_port)
mkdir "$WORK/sys"
bench_sim --devices 1000 --seed 1 --sysfs "$WORK/sys"
# The simulator fills hubs in this order; FirstSlot stops at 999, and the 143 hubs up to it
# hold all 1001 ports in use (the 144th, 9-16, would start at slot 1002 and is empty).
hubs=""
slot=1
for bus in 1 2 3 4 5 6 7 8 9; do
	for root in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		[ $slot -le 999 ] || break
		hubs="$hubs
[Hub $bus-$root]
Cart=Big
FirstSlot=$slot"
		slot=$((slot + 7))
	done
done
bench_config "[Probe]
PollInterval=1h
Workers=16
ProbeTimeout=30s
[Daemon]
SysfsRoot=$WORK/sys
[HTTP]
Listen=127.0.0.1:$PORT
MaxConnections=256
$hubs"
bench_wait_probed "$PORT" 1000

echo "backupd cart pages under load, 1000 phones, $(nproc) cores, $(date -u +%F), load average $(cut -d" " -f1-3 /proc/loadavg)"
r=1
while [ "$r" -le "$RUNS" ]; do
	"$BUILD/tests/bench/metrics_bench" probe "$PORT" "$SECONDS_RUN" >"$WORK/probe.$r" &
	prober=$!
	python3 "$SRC/tests/bench/pages_live.py" "$PORT" /cart/Big "$SECONDS_RUN" "$WORK/sim.ctl" \
		"$BUILD/bin/backupctl" "$WORK/control" >"$WORK/pages.$r"
	wait "$prober"
	read -r probes worst p99 <"$WORK/probe.$r"
	echo "  run $r: probes=$probes probe_wait_ms_p99=$p99 probe_wait_ms_max=$worst $(cat "$WORK/pages.$r")"
	echo "$worst $p99 $(sed 's/.*update_s_median=\([0-9.]*\).*/\1/' "$WORK/pages.$r")" >>"$WORK/runs"
	r=$((r + 1))
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "  median of $RUNS: stall_ms_max=$(cut -d' ' -f1 "$WORK/runs" | median)" \
	"stall_ms_p99=$(cut -d' ' -f2 "$WORK/runs" | median)" \
	"update_s_median=$(cut -d' ' -f3 "$WORK/runs" | median)"
