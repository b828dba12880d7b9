#!/bin/sh
# SPDX-License-Identifier: ISC
# A hung device is reported unresponsive within ProbeTimeout and delays nobody else; garbage
# and dropped connections are reported with a reason; the daemon survives all of them.
# Usage (inside journal-ns.sh): backupd_isolation.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy hang malformed drop
write_config ""
start_daemon
H=$(udid_of healthy)
HANG=$(udid_of hang)
wait_for 10 ctl status "$H" || fail "healthy device not ready"
# attach entry of the hung device is the start of its clock
expect_entries 1 MESSAGE_ID="$(msgid unreachable.unresponsive)" DEVICE_UDID="$HANG" STATE=failing
journalctl --no-pager -o json SYSLOG_IDENTIFIER=backupd >"$WORK/j.json"
t_attach=$("$JCHECK" --print __REALTIME_TIMESTAMP "$WORK/j.json" \
	MESSAGE_ID="$(msgid device.attached)" DEVICE_UDID="$HANG" | grep -v matching | tail -n 1)
t_report=$("$JCHECK" --print __REALTIME_TIMESTAMP "$WORK/j.json" \
	MESSAGE_ID="$(msgid unreachable.unresponsive)" DEVICE_UDID="$HANG" | grep -v matching | tail -n 1)
delay_ms=$(((t_report - t_attach) / 1000))
echo "hung device reported after $delay_ms ms (ProbeTimeout 3000 ms)"
[ "$delay_ms" -le 3500 ] || fail "hung device reported after $delay_ms ms"
expect_entries 1 MESSAGE_ID="$(msgid unreachable.protocol_error)" DEVICE_UDID="$(udid_of malformed)" REASON
expect_entries 1 MESSAGE_ID="$(msgid unreachable.protocol_error)" DEVICE_UDID="$(udid_of drop)" REASON
echo "ok - garbage and drops reported with a reason"

# While the hung device is being probed again, the healthy one answers at once.
for i in 1 2 3 4 5; do
	start=$(date +%s%N)
	ctl refresh "$HANG" >/dev/null 2>&1 &
	hang_refresh=$!
	ctl refresh "$H" >"$WORK/refresh.out" 2>&1 || fail "healthy refresh failed while another device hangs: $(cat "$WORK/refresh.out")"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -le 1000 ] || fail "healthy refresh took $ms ms while another device hangs"
	wait "$hang_refresh" || true
done
echo "ok - a hung device delays no other device's probe"

# The poll rhythm of the healthy device holds: probed_at advances every PollInterval.
p1=$(ctl --json status "$H" | sed -n 's/.*"probed_at": *\([0-9]*\).*/\1/p' | head -n 1)
sleep 11
p2=$(ctl --json status "$H" | sed -n 's/.*"probed_at": *\([0-9]*\).*/\1/p' | head -n 1)
[ "$p2" -gt "$p1" ] || fail "healthy device not polled again ($p1 -> $p2)"
kill -0 "$DAEMON_PID" || fail "backupd died"
echo "ok - poll rhythm kept ($p1 -> $p2)"
