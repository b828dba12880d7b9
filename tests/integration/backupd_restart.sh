#!/bin/sh
# SPDX-License-Identifier: ISC
# A restart does not repeat alerts: verdicts and alert memory come back from the state file.
# A corrupt state file is set aside, never fatal. Usage (inside journal-ns.sh): BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy backup-off
write_config ""
start_daemon
B=$(udid_of backup-off)
OFF=$(msgid precondition.backup_enabled)
expect_entries 1 MESSAGE_ID="$OFF" DEVICE_UDID="$B" STATE=failing
stop_daemon
[ -s "$WORK/state/state.json" ] || fail "no state file after stop"
start_daemon
wait_for 10 ctl status "$(udid_of healthy)" || fail "healthy device not ready after restart"
ctl refresh "$B" >/dev/null || true
sleep 1
expect_entries 1 MESSAGE_ID="$OFF" DEVICE_UDID="$B" STATE=failing
echo "ok - restart does not repeat the failing entry"

stop_daemon
echo '{"version": 1, "devices": [ {"udid": ' >"$WORK/state/state.json"
start_daemon
ls "$WORK/state" | grep -q 'state.json.corrupt-' || fail "corrupt state not set aside"
wait_for 10 ctl status "$(udid_of healthy)" || fail "daemon not working after corrupt state"
echo "ok - corrupt state set aside, daemon runs"

stop_daemon
printf '[Probe]\nPollInterval=5 apples\n' >"$WORK/bad.conf"
set +e
"$BACKUPD" --config "$WORK/bad.conf" --check-config 2>"$WORK/err"
rc=$?
set -e
[ $rc -eq 78 ] || fail "bad config: exit $rc, want 78"
grep -q "bad.conf:2: PollInterval" "$WORK/err" || fail "bad config error lacks file:line: $(cat "$WORK/err")"
echo "ok - bad config names file:line and exits 78"

# AlertCommand that cannot be run: --check-config says why (and so ExecReload refuses it).
printf '#!/bin/sh\n' >"$WORK/not-executable.sh"
for cmd in "$WORK/missing.sh" "$WORK/not-executable.sh" "$WORK"; do
	printf '[Alerts]\nAlertCommand=%s\n' "$cmd" >"$WORK/cmd.conf"
	set +e
	"$BACKUPD" --config "$WORK/cmd.conf" --check-config 2>"$WORK/err"
	rc=$?
	set -e
	[ $rc -eq 78 ] || fail "AlertCommand=$cmd: exit $rc, want 78"
	grep -q "cmd.conf: AlertCommand=$cmd cannot be run: " "$WORK/err" ||
		fail "AlertCommand=$cmd: $(cat "$WORK/err")"
done
echo "ok - an AlertCommand that is missing, not executable or a directory fails --check-config"

# usbmuxd absent at start: backupd runs, says so once, and picks the phones up when it comes.
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null || true
SIM_PID=""
rm -f "$WORK/usbmuxd"
USB=$(msgid fleet.usbmuxd_unavailable)
before=$(journal_count MESSAGE_ID="$USB" PRIORITY=4)
start_daemon
expect_entries $((before + 1)) MESSAGE_ID="$USB" PRIORITY=4
sleep 3
expect_entries $((before + 1)) MESSAGE_ID="$USB" PRIORITY=4
start_sim healthy
wait_for 15 ctl status "$(udid_of healthy)" || fail "device not picked up when usbmuxd came"
echo "ok - usbmuxd absent at start: said once, devices picked up when it comes"
