#!/bin/sh
# SPDX-License-Identifier: ISC
# One phone, one action, one outcome (issue 21, items 1 and 2): a restart request naming the
# same phone 130 times (by UDID and by name) restarts it once and reports it once; a second
# request for a phone whose restart is in flight is refused ("busy") without reaching the
# phone; a name two phones share is refused with both UDIDs listed, and restarts nothing.
# Usage (inside journal-ns.sh): backupd_action_dedupe.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

# Two more phones named "Twin": the healthy profile with other UDIDs.
twin() {
	sed -e "s/<string>Sim healthy<\/string>/<string>Twin<\/string>/" \
		-e "s/00008120-001A2B3C4D5E6F01/00008120-00000000000021$1/" \
		"$PROFILES/healthy.plist" >"$WORK/twin$1.plist"
}
twin 01
twin 02
launch_sim --profile "$PROFILES/healthy.plist" --profile "$WORK/twin01.plist" \
	--profile "$WORK/twin02.plist"
OK=$(udid_of healthy)
RESTART_ID=$(msgid action.restart)
write_config "[Actions]
Allow=restart
RestartTimeout=20s"
start_daemon
wait_for 20 ctl status "$OK" >/dev/null || fail "healthy phone not ready"
wait_for 20 ctl status 00008120-0000000000002102 >/dev/null || fail "twin phone not ready"
restarts() { "$SIM" --ctl "$WORK/sim.ctl" stats | sed 's/.*restarts=\([0-9]*\).*/\1/'; }

# --- ambiguous name: refused, candidates listed, nothing restarted ---
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" restart Twin 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "ambiguous name: exit $rc: $OUT"
case "$OUT" in *"Twin"*"00008120-0000000000002101"*"00008120-0000000000002102"*) ;;
*) fail "ambiguous name: candidates not listed: $OUT" ;; esac
sleep 1
[ "$(restarts)" = 0 ] || fail "an ambiguous name restarted a phone"
echo "ok - a name two phones share is refused with both UDIDs, nothing restarted"

# --- 130 mentions of one phone (UDID and name): one restart, one outcome ---
sim restartdelay "$OK" 1500
set -- restart
i=0
while [ $i -lt 65 ]; do
	set -- "$@" "$OK" "Sim healthy"
	i=$((i + 1))
done
start=$(date +%s)
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" --json "$@" 2>&1) || rc=$?
took=$(($(date +%s) - start))
[ "$rc" = 0 ] || fail "130 mentions: exit $rc: $OUT"
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["actions"]))')
[ "$n" = 1 ] || fail "130 mentions of one phone: $n outcomes, want 1"
sleep 2
[ "$(restarts)" = 1 ] || fail "130 mentions of one phone: $(restarts) restarts, want 1"
expect_entries 1 MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$OK" STATE=restarting
expect_entries 1 MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$OK" STATE=back
[ "$took" -le 15 ] || fail "130 mentions: answered after $took s"
echo "ok - 130 mentions of one phone by UDID and name: one restart, one outcome ($took s)"

# --- a phone with a restart in flight: a second request is refused as busy ---
sim restartdelay "$OK" 4000
timeout 60 "$BACKUPCTL" --socket "$WORK/control" restart "$OK" >"$WORK/first.out" 2>&1 &
FIRST=$!
shows_restarting() { ctl status | grep -q "^Sim healthy .* restarting "; }
wait_for 10 shows_restarting || fail "first restart not in flight"
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" restart "Sim healthy" 2>&1) || rc=$?
[ "$rc" = 4 ] || fail "second request while in flight: exit $rc: $OUT"
case "$OUT" in *"already has an action in flight"*) ;; *) fail "busy not said: $OUT" ;; esac
wait "$FIRST" || fail "first restart failed: $(cat "$WORK/first.out")"
[ "$(restarts)" = 2 ] || fail "restarts: $(restarts), want 2 (the busy one must not reach the phone)"
expect_entries 1 MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$OK" STATE=busy
echo "ok - a phone with an action in flight: a second request is refused as busy, journaled"
stop_daemon
echo "all passed"
