#!/bin/sh
# SPDX-License-Identifier: ISC
# 10,000 remembered phones (issue 10): what grows with the fleet's memory, against budgets.
#
#   sh tests/bench/remembered.sh [N=10000] [RUNS=50]
#
# Builds Release into build-bench/ (-DBACKUPD_BENCH=ON), then
#   1. remembered_bench N RUNS: in process, the status reply, a save's serialisation, a
#      forget sweep and a UDID lookup (hash index vs the old linear scan);
#   2. the real backupd, started on the state file of those N records (idevice-sim with no
#      phones attached, private sockets, no status feed), and `backupctl status` end to end
#      (fork, connect, reply, table) with ctl_bench, RUNS times.
# Figures are CPU time of the process in 1 (wall time on a shared machine counts others' work)
# and CPU time of the daemon and of backupctl in 2 (plus the wall time, for reference).
# Budgets (exit 1 when one is missed): on the loop, the status reply <= 250 ms (in process,
# and the daemon's CPU per request) and a save's snapshot <= 50 ms; a lookup <= 1 us.
# The serialisation runs on the writer thread: reported, no budget. Not part of ctest.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD="$SRC/build-bench"
N=${1:-10000}
RUNS=${2:-50}

echo "building Release into $BUILD ..." >&2
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_BENCH=ON -DBACKUPD_SANITIZE=OFF \
	>/dev/null
nice -n 10 cmake --build "$BUILD" -j2 --target backupd backupctl idevice-sim remembered_bench ctl_bench \
	>/dev/null

. "$SRC/tests/bench/bench_lib.sh"
bench_work bremember
export NO_COLOR=1

mkdir -p "$WORK/state"
"$BUILD/tests/bench/remembered_bench" "$N" "$RUNS" "$WORK/state" >"$WORK/inproc"

bench_sim
bench_config
"$BUILD/bin/backupd" --config "$WORK/backupd.conf" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for 30 test -S "$WORK/control" || { echo "backupd did not start" >&2; exit 1; }
known=$("$BUILD/bin/backupctl" --socket "$WORK/control" --json status |
	sed -n 's/.*"devices": \([0-9]*\),*$/\1/p' | head -n 1)
HZ=$(getconf CLK_TCK)
daemon_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$DAEMON_PID/stat"; }
d0=$(daemon_ticks)
CTL_BENCH_SOCKET="$WORK/control" "$BUILD/tests/integration/ctl_bench" "$BUILD/bin/backupctl" - \
	"$N" "$RUNS" >"$WORK/ctl"
d1=$(daemon_ticks)
daemon_ms=$(echo "$d0 $d1 $HZ $RUNS" | awk '{ printf "%.1f", ($2 - $1) * 1000 / $3 / $4 }')
# backupctl's own CPU per run: the shell's `times` sums its children.
ctl_ms=$(sh -c 'i=0; while [ $i -lt "$1" ]; do "$2" --socket "$3" status >/dev/null; i=$((i + 1)); done; times' \
	- "$RUNS" "$BUILD/bin/backupctl" "$WORK/control" | tail -n 1 |
	awk -v runs="$RUNS" '{ split($1, u, /[ms]/); split($2, s, /[ms]/);
		printf "%.1f", ((u[1] * 60 + u[2]) + (s[1] * 60 + s[2])) * 1000 / runs }')
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status")

get() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/inproc"; }
echo "backupd with $N remembered phones — $(nproc) cores, $(date -u +%F)"
echo "  in process, median of $RUNS:"
echo "    status reply (status_json + json_dumps): $(get status_reply_ms) ms   (budget 250 ms)"
echo "    save, snapshot on the loop:              $(get snapshot_ms) ms   (budget 50 ms)"
echo "    save, JSON on the writer thread:         $(get serialise_ms) ms"
echo "    forget sweep:                            $(get forget_sweep_ms) ms"
echo "    UDID lookup: hash index $(get lookup_index_ns) ns, linear scan $(get lookup_linear_ns) ns   (budget 1000 ns)"
echo "  real backupd, $known phones loaded from the state file, VmRSS $((rss / 1024)) MB:"
echo "    daemon CPU per status request (the loop is busy this long): $daemon_ms ms   (budget 250 ms)"
echo "    backupctl CPU per run (parse and print $N rows): $ctl_ms ms"
echo "    wall, end to end: $(cat "$WORK/ctl")"
echo "    (load average during the run: $(cut -d' ' -f1-3 /proc/loadavg))"

[ "$known" = "$N" ] || { echo "FAIL: the daemon knows $known phones, want $N" >&2; exit 1; }
awk -v s="$(get status_reply_ms)" -v w="$(get snapshot_ms)" -v l="$(get lookup_index_ns)" \
	-v c="$daemon_ms" 'BEGIN { exit !(s <= 250 && w <= 50 && l <= 1000 && c <= 250) }' ||
	{ echo "FAIL: a budget was missed" >&2; exit 1; }
