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
# One worker: the phones queue. No periodic poll in the way. A hung probe runs until a reload
# cancels it (ProbeTimeout is not under test here).
write_config "[Probe]
PollInterval=1h
ProbeTimeout=60s
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
# Every probe asks diagnostics_relay at least once: fewer means nothing was counted.
[ "$one" -ge $N ] || fail "one refresh of $N phones: $one diagnostics requests counted"
[ "$(field "$WORK/r1.json" refreshed)" = $N ] || fail "one refresh: $(field "$WORK/r1.json" refreshed) of $N refreshed"
# One process sends the ten requests together: ten backupctl processes start over hundreds of
# ms on a loaded machine, and the phones probed meanwhile are rightly probed again.
"$BUILD/tests/integration/ctl_raw_client" "$WORK/control" refreshes 10 >"$WORK/many.jsonl" ||
	fail "10 concurrent refreshes: not all answered"
i=1
while read -r line; do
	printf '%s\n' "$line" >"$WORK/c$i.json"
	i=$((i + 1))
done <"$WORK/many.jsonl"
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

# A reload that resizes the pool cancels the running probes. A cancelled probe read nothing, so
# it refreshes no one: each refresh still waiting for that phone waits for the next probe,
# which starts after the reload and so after the request. Two phones, both probing when the
# reload comes (they hang, so their probes run until cancelled, whatever the load):
#  - B started because of refresh R2: counting its cancelled probe would say "refreshed"
#    for a phone never read after R2 (the reverted fix: B is then never probed again);
#  - A was already running when R2 came (started for R1), so R2 skips that probe as too old;
#    its cancellation must not leave R2 waiting for a second probe that never comes.
# What each refresh reports is checked against a value changed after both requests.
lockdown() { "$SIM" --ctl "$WORK/sim.ctl" stats | sed -n 's/.*lockdown_requests=\([0-9]*\).*/\1/p'; }
lockdown_above() { [ "$(lockdown)" -gt "$1" ]; }
counts() { echo "$(field "$1" refreshed) refreshed, $(field "$1" timed_out) timed out"; }
udid_at() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['devices'][int(sys.argv[2])]['udid'])" "$@"; }
battery() { python3 -c "import json,sys; print([d for d in json.load(open(sys.argv[1]))['devices'] if d['udid'] == sys.argv[2]][0]['battery_percent'])" "$WORK/after.json" "$1"; }
ctl status --json >"$WORK/s0.json" || true
A=$(udid_at "$WORK/s0.json" 0)
B=$(udid_at "$WORK/s0.json" 1)
sed -i 's/^Workers=1$/Workers=2/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
expect_entries 1 "MESSAGE=configuration reloaded"
sim behaviour "$A" hang
sim behaviour "$B" hang
l0=$(lockdown)
ctl refresh --json "$A" >"$WORK/r1.json" &
r1=$!
wait_for 30 lockdown_above "$l0" || fail "A's probe did not start"
l1=$(lockdown)
ctl refresh --json "$A" "$B" >"$WORK/r2.json" &
r2=$!
wait_for 30 lockdown_above "$l1" || fail "B's probe did not start"
for u in "$A" "$B"; do
	sim set "$u" com.apple.mobile.battery BatteryCurrentCapacity 7
	sim behaviour "$u" normal
done
sed -i 's/^Workers=2$/Workers=3/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
expect_entries 2 "MESSAGE=configuration reloaded"
wait "$r1" || true
wait "$r2" || true
echo "across the reload: R1 (A) $(counts "$WORK/r1.json"); R2 (A, B) $(counts "$WORK/r2.json")"
ctl status --json >"$WORK/after.json" || true
[ "$(field "$WORK/r1.json" refreshed)" = 1 ] && [ "$(field "$WORK/r1.json" timed_out)" = 0 ] ||
	fail "R1 across a reload: $(counts "$WORK/r1.json")"
[ "$(field "$WORK/r2.json" refreshed)" = 2 ] && [ "$(field "$WORK/r2.json" timed_out)" = 0 ] ||
	fail "R2 across a reload: $(counts "$WORK/r2.json") (A's probe, running at the request and cancelled, left it waiting)"
[ "$(battery "$B")" = 7 ] || fail "R2 said B refreshed, but B was not read after it (battery $(battery "$B"), set to 7)"
[ "$(battery "$A")" = 7 ] || fail "A was not read after the requests (battery $(battery "$A"), set to 7)"
echo "ok - refreshes across a reload that cancelled probes: each phone read after the request"
