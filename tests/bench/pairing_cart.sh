#!/bin/sh
# SPDX-License-Identifier: ISC
# Pairing a cart (issue 20): N phones supervised by organisation A, host pairing prohibited,
# no pair record, plugged in at once to a running backupd that holds A's identity. Prints the
# median, over RUNS, of the time from the attach to every phone paired (supervised), read and
# judged, and the CPU time per phone of the daemon and its helpers over that time (the pair
# record's two RSA-2048 keys and certificates are made in a helper, the signature in the
# daemon; the probes that read and judge the phone are in it too).
#
#   sh tests/bench/pairing_cart.sh [N=30] [RUNS=3]
#
# Builds Release into build-bench/ (-DBACKUPD_BENCH=ON) unless BUILD names a build directory.
# Aim (docs/benchmarks.md): 30 phones under 10 s on the 2-core build machine. Not in ctest.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-30}
RUNS=${2:-3}
if [ -z "${BUILD:-}" ]; then
	BUILD="$SRC/build-bench"
	echo "building Release into $BUILD ..." >&2
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_BENCH=ON \
		-DBACKUPD_SANITIZE=OFF >/dev/null
	nice -n 10 cmake --build "$BUILD" -j2 --target backupd backupctl idevice-sim >/dev/null
fi

. "$SRC/tests/bench/bench_lib.sh"
bench_work backupd-pairing-bench
sh "$SRC/tests/sim/make_identities.sh" "$WORK/ids" >/dev/null
mkdir -p "$WORK/cart"
i=1
while [ $i -le "$N" ]; do
	sed "s/00008110-0000000000000A01/$(printf '00008110-00000000000C%04d' $i)/" \
		"$WORK/ids/profiles/supervised-a-prohibited.plist" >"$WORK/cart/$i.plist"
	i=$((i + 1))
done
bench_sim --profiles "$WORK/cart"
udids=$(sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;}' "$WORK"/cart/*.plist)
sim() { "$BUILD/tests/sim/idevice-sim" --ctl "$WORK/sim.ctl" "$@" >/dev/null; }

# all_paired : every phone paired (supervised), read and judged.
all_paired() {
	"$BUILD/bin/backupctl" --socket "$WORK/control" status --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)["devices"]
ok = [x for x in d if x["attached"] and x["pairing"]["state"] == "paired-supervised"
      and x["probe_status"] == "ok" and x["readiness"] != "unknown"]
sys.exit(0 if len(ok) == int(sys.argv[1]) else 1)' "$N"
}

# cpu_of PID : CPU seconds (user + system) of PID and of its children now alive (the helpers).
cpu_of() {
	for pid in "$1" $(pgrep -P "$1"); do cat "/proc/$pid/stat" 2>/dev/null || true; done |
		awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { print s / hz }'
}

run=1
: >"$WORK/times"
: >"$WORK/cpu"
while [ $run -le "$RUNS" ]; do
	# No record anywhere: the phone forgets this host (Unpair) and usbmuxd drops the record.
	for u in $udids; do
		idevicepair -u "$u" unpair >/dev/null 2>&1 || true
		sim detach "$u"
	done
	rm -rf "$WORK/state" "$WORK/control"
	bench_config "[Pairing]
SupervisionIdentity=$WORK/ids/org-a.p12
SupervisionPasswordFile=$WORK/ids/org-a.pass"
	"$BUILD/bin/backupd" --config "$WORK/backupd.conf" >"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_for 30 test -S "$WORK/control" || { echo "backupd did not start" >&2; exit 1; }
	cpu0=$(cpu_of $DAEMON_PID)
	start=$(date +%s.%N)
	for u in $udids; do sim attach "$u"; done
	wait_for 300 all_paired || { echo "not all $N phones paired within 300 s" >&2; exit 1; }
	end=$(date +%s.%N)
	cpu1=$(cpu_of $DAEMON_PID)
	kill "$DAEMON_PID"
	wait "$DAEMON_PID" || true
	DAEMON_PID=""
	echo "$end - $start" | bc >>"$WORK/times"
	echo "($cpu1 - $cpu0) / $N" | bc -l >>"$WORK/cpu"
	echo "run $run: $(tail -n 1 "$WORK/times") s, $(tail -n 1 "$WORK/cpu") CPU s per phone" >&2
	run=$((run + 1))
done
# median FILE : the median of the numbers in FILE, one a line.
median() {
	sort -n "$1" | awk '{ t[NR] = $1 } END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}
printf 'pairing a cart of %d supervised phones: median %.1f s from attach to all paired, read and judged; %.2f CPU s per phone, daemon and helpers (%d runs)\n' \
	"$N" "$(median "$WORK/times")" "$(median "$WORK/cpu")" "$RUNS"
