#!/bin/sh
# SPDX-License-Identifier: ISC
# promtool check metrics is silent on a scrape of a 1000-device fleet (idevice-sim --devices
# 1000), taken once every device has been probed.
# Usage (inside journal-ns.sh): backupd_metrics_fleet.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"

command -v promtool >/dev/null || fail "promtool missing (scripts/deps.sh installs prometheus)"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"
rm -f "$WORK/sim.ready"
"$SIM" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" --ready-file "$WORK/sim.ready" \
	--devices 1000 --seed 11 >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
wait_for 30 test -e "$WORK/sim.ready" || fail "simulator did not start"
write_config ""
export BACKUPD_TRACE=1 # the render's parts (backupd-trace metrics render) in daemon.log
sed -i 's/^Workers=.*/Workers=16/; s/^ProbeTimeout=.*/ProbeTimeout=30s/' "$WORK/backupd.conf"
sed -i 's/^Listen=.*/&\nMaxConnections=128\nRequestTimeout=60s/' "$WORK/backupd.conf"
start_daemon

# Every device probed once: the probe counters add up to 1000.
probed() {
	scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || return 1
	total=$(awk '/^backupd_probes_total\{/ { n += $2 } END { print n + 0 }' "$WORK/scrape.txt")
	[ "$total" -ge 1000 ]
}
# Polled every 2 s: each poll is a 4 MB scrape that takes CPU from the probes.
i=0
while ! probed && [ $i -lt 270 ]; do
	sleep 2
	i=$((i + 1))
done
[ $i -lt 270 ] || fail "not every device probed: $(grep '^backupd_probes_total' "$WORK/scrape.txt")"
n=$(grep -c '^backupd_device_info{' "$WORK/scrape.txt")
[ "$n" -eq 1000 ] || fail "expected 1000 backupd_device_info series, got $n"
promtool_silent "$WORK/scrape.txt"
echo "ok - promtool check metrics is silent on a 1000-device scrape ($(wc -c <"$WORK/scrape.txt") bytes, $(grep -vc '^#' "$WORK/scrape.txt") series)"

# A burst: 12 plain and 12 gzip scrapes at once, 6 more dropped mid-render, after 16 sent by
# a client that never reads: 47 connections from 127.0.0.1 with the one after, under its share
# of MaxConnections=128 (half); RequestTimeout=60s keeps those 16 to the end. The body is written in parts over several loop turns and the
# answers a slice at a time (issue 24); each render says in how many parts.
python3 "$SRC/tests/integration/metrics_burst_check.py" "127.0.0.1:$PORT" 1000 12 6 16 ||
	fail "metrics_burst_check"
parts=$(awk '/^backupd-trace metrics render/ { for (i = 4; i <= NF; i++) if ($i ~ /^parts=/) { split($i, kv, "="); if (kv[2] > max) max = kv[2] } } END { print max + 0 }' "$WORK/daemon.log")
[ "$parts" -ge 2 ] || fail "no render of the 1000-phone body took more than one part (most: $parts)"
echo "ok - the 1000-phone body was written in up to $parts parts, one per loop turn"

# Out of time during its answer: the head is out, so the connection is closed and the 200 cut
# short (a 503 is only for a scrape whose answer has not begun).
sed -i 's/^RequestTimeout=60s/RequestTimeout=3s/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 10 logged "configuration reloaded" || fail "the reload is not logged"
python3 "$SRC/tests/integration/metrics_burst_check.py" "127.0.0.1:$PORT" cut 5 ||
	fail "metrics_burst_check cut"
stop_daemon
cleanup 0
