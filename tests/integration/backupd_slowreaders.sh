#!/bin/sh
# SPDX-License-Identifier: ISC
# Slow readers cost the daemon a piece of a reply each, not the whole reply: 50 clients that
# pipeline 20 detailed status requests and never read leave the daemon's memory nearly where
# it was (built whole, each reply was queued in full: 50 x ~330 KB here), and a normal status
# still answers (issue 12). Latency is printed as a figure. Usage (inside journal-ns.sh): BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

N=200
start_sim_devices $N
write_config "[Probe]
PollInterval=1h
Workers=8"
# ASan keeps freed blocks in quarantine, which would count as growth here: no quarantine.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
start_daemon
RAW=${RAW:-"$BUILD/tests/integration/ctl_raw_client"}
wait_for 60 sh -c "'$BACKUPCTL' --socket '$WORK/control' status --json | grep -q '\"attached\": *$N'" ||
	fail "$N phones not attached"
ctl refresh >/dev/null || true # every phone probed once: replies at full size
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status"; }
ctl status --detail >/dev/null 2>&1 || true
"$RAW" "$WORK/control" slowreaders 0 >/dev/null || fail "status alone"
before=$(rss)
"$RAW" "$WORK/control" slowreaders 50 3000 >"$WORK/slow.out" &
raw=$!
sleep 2
during=$(rss)
wait "$raw" || fail "a normal status went unanswered behind 50 slow readers"
grown=$((during - before))
echo "figure: $N phones, 50 slow pipelining readers: normal status $(cat "$WORK/slow.out"); daemon RSS +$grown KiB"
[ "$grown" -lt 6000 ] || fail "50 slow readers grew the daemon by $grown KiB: replies built whole"
echo "ok - 50 slow readers: daemon RSS +$grown KiB, a normal status answered"
