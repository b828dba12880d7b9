#!/bin/sh
# SPDX-License-Identifier: ISC
# Cart pages under load: a 1000-phone cart (idevice-sim's sysfs tree: 7-port hubs on root ports
# 1-16 of buses 1-9, named as one cart by [Hub] sections), 50 open live pages, 100 phones
# changing state (unlocked, probed, locked again), and a prober that measures the loop's
# longest stall from outside (pages_live.py). Release build in build-rel. Not part of ctest;
# run with `heavy --alone`.
#   sh tests/bench/pages_live.sh [SECONDS]
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$SRC/build-rel"
SECONDS_RUN=${1:-30}
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_BENCH=ON -DBACKUPD_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" -j2 --target backupd idevice-sim backupctl >/dev/null
. "$SRC/tests/bench/bench_lib.sh"
bench_work pbench
fail() {
	echo "pages_live: $*" >&2
	exit 1
}
. "$SRC/tests/integration/metrics_lib.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
SIM="$BUILD/tests/sim/idevice-sim"
PORT=$(free_port)
mkdir "$WORK/sys"
"$SIM" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" --ready-file "$WORK/sim.ready" \
	--devices 1000 --seed 1 --sysfs "$WORK/sys" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
wait_for 30 test -e "$WORK/sim.ready" || fail "simulator did not start"
hubs=""
slot=1
for bus in 1 2 3 4 5 6 7 8 9; do
	for root in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
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
"$BUILD/bin/backupd" --config "$WORK/backupd.conf" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
probed() {
	scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || return 1
	[ "$(awk '/^backupd_probes_total\{/ { n += $2 } END { print n + 0 }' "$WORK/scrape.txt")" -ge 1000 ]
}
i=0
while ! probed; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the fleet was not probed within 300 s"
	sleep 1
done
ctl() { "$BUILD/bin/backupctl" --socket "$WORK/control" "$@"; }
udids=$("$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | sed -n 's/^\([^:]*\):attached:.*/\1/p' | head -n 100)
python3 "$SRC/tests/bench/pages_live.py" "$PORT" /cart/Big "$SECONDS_RUN" &
load=$!
end=$(($(date +%s) + SECONDS_RUN - 2))
value=false
while [ "$(date +%s)" -lt "$end" ]; do
	for u in $udids; do "$SIM" --ctl "$WORK/sim.ctl" set "$u" root PasswordProtected "$value" >/dev/null; done
	# shellcheck disable=SC2086
	ctl refresh $udids >/dev/null 2>&1 || true
	value=$([ "$value" = false ] && echo true || echo false)
	sleep 2
done
wait "$load"
