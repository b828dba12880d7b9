#!/bin/sh
# SPDX-License-Identifier: ISC
# Concurrent refreshes wait for one probe of each phone, not two: a queued probe has not read
# the phone yet, so it serves every refresh that comes before it starts (issue 12). Usage
# (inside journal-ns.sh): BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

N=40
start_sim_devices $N
# One worker: the phones queue. No periodic poll in the way.
write_config "[Probe]
PollInterval=1h
Workers=1"
start_daemon
diag() { "$SIM" --ctl "$WORK/sim.ctl" stats | sed -n 's/.*diag_requests=\([0-9]*\).*/\1/p'; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }
wait_for 30 sh -c "'$BACKUPCTL' --socket '$WORK/control' status --json | grep -q '\"attached\": *$N'" ||
	fail "$N phones not attached"
ctl refresh --json >"$WORK/r0.json" || true
d0=$(diag)
ctl refresh --json >"$WORK/r1.json" || true
d1=$(diag)
one=$((d1 - d0))
[ "$(field "$WORK/r1.json" refreshed)" = $N ] || fail "one refresh: $(field "$WORK/r1.json" refreshed) of $N refreshed"
pids=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	ctl refresh --json >"$WORK/c$i.json" &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || true; done
d2=$(diag)
many=$((d2 - d1))
for i in 1 2 3 4 5 6 7 8 9 10; do
	r=$(field "$WORK/c$i.json" refreshed)
	t=$(field "$WORK/c$i.json" timed_out)
	[ "$r" = $N ] && [ "$t" = 0 ] || fail "refresh $i of 10: $r refreshed, $t timed out"
done
# Each phone probed once for the ten (a phone running at the burst's start twice), not twice.
[ "$many" -le $((one + one / 4)) ] ||
	fail "10 concurrent refreshes cost $many diagnostics requests, one refresh $one: phones probed twice"
echo "ok - 10 concurrent refreshes: all $N refreshed each, $many diagnostics requests (one refresh: $one)"

# A reload that resizes the pool cancels the running probes: those phones are not "refreshed"
# until a probe has read them.
sed -i 's/^Workers=1$/Workers=3/' "$WORK/backupd.conf"
sleep 1.1
t0=$(date +%s)
ctl refresh --json >"$WORK/rr.json" &
rp=$!
sleep 0.1
kill -HUP "$DAEMON_PID"
wait "$rp" || true
echo "refresh across the reload: $(field "$WORK/rr.json" refreshed) refreshed, $(field "$WORK/rr.json" timed_out) timed out"
ctl status --json >"$WORK/after.json" || true
old=$(python3 -c "import json,sys; print(sum(1 for d in json.load(open(sys.argv[1]))['devices'] if (d['probed_at'] or 0) < int(sys.argv[2])))" "$WORK/after.json" "$t0")
[ "$(field "$WORK/rr.json" refreshed)" = $N ] || fail "refresh across a reload: $(field "$WORK/rr.json" refreshed) refreshed"
[ "$old" = 0 ] || fail "refresh across a reload said $N refreshed, but $old phones were last probed before it"
echo "ok - refresh across a reload that cancelled probes: every phone read after the request"
