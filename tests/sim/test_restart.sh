# SPDX-License-Identifier: ISC
# The real idevicediagnostics restarts a phone: Restart is answered, the phone detaches and
# attaches again after its configured delay; with -1 it stays away.
. "$(dirname "$0")/lib.sh"
start_sim --profiles "$FIXTURES"
u=$(udid_of healthy)
state() { ctl list | tr ' ' '\n' | grep "^$u:" | cut -d: -f2; }

"$SIM_CLIENT" events 6 >"$T/events" 2>&1 &
EV=$!
wait_for "$T/events" "add $u"
ctl restartdelay "$u" 1500 >/dev/null
rc=0
out=$(tool idevicediagnostics -u "$u" restart 2>&1) || rc=$?
expect_eq "restart exits 0" "$rc" "0"
expect_contains "restart prints" "$out" "Restarting device."
sleep 0.3
expect_eq "detached while restarting" "$(state)" "detached"
sleep 1.6
expect_eq "attached again after the delay" "$(state)" "attached"
wait "$EV" || true
expect_contains "Detached event" "$(cat "$T/events")" "remove $u"
expect_eq "attached again after remove" "$(sed -n "/remove $u/,\$p" "$T/events" | grep -c "add $u")" "1"

ctl restartdelay "$u" -1 >/dev/null
tool idevicediagnostics -u "$u" restart >/dev/null 2>&1 || fail "second restart"
sleep 1.5
expect_eq "restartdelay -1: never back" "$(state)" "detached"
expect_contains "stats count restarts" "$(ctl stats)" "restarts=2"
finish
