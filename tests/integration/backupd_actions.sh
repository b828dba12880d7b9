#!/bin/sh
# SPDX-License-Identifier: ISC
# backupctl enable-backup and restart end to end: backupd, its probe helpers (the real
# libimobiledevice mobilebackup2 and diagnostics_relay), idevice-sim and a real journald.
# Usage (inside journal-ns.sh): backupd_actions.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim backup-off healthy locked-since-boot not-paired ../actions/no-account \
	../actions/restricted
OFF=$(udid_of backup-off)
OK=$(udid_of healthy)
NOACC=$(udid_of ../actions/no-account)
RESTR=$(udid_of ../actions/restricted)
LOCKED=$(udid_of locked-since-boot)
UNPAIRED=$(udid_of not-paired)
ENABLE_ID=$(msgid action.enable_backup)
RESTART_ID=$(msgid action.restart)
REFUSED_ID=$(msgid action.refused)
OVERDUE_ID=$(msgid action.restart_overdue)

# run_ctl EXPECTED_STATUS ARGS...: backupctl's output in $OUT, its status checked; a reply
# that never comes (124) fails within a minute rather than at ctest's limit.
run_ctl() {
	want=$1
	shift
	rc=0
	OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" "$@" 2>&1) || rc=$?
	[ "$rc" = "$want" ] || fail "backupctl $*: exit $rc, expected $want: $OUT"
}
expect_out() { case "$OUT" in *"$1"*) ;; *) fail "'$1' not in: $OUT" ;; esac; }

# --- actions are off by default: refused, journaled, nothing sent to the phone ---
write_config ""
start_daemon
wait_for 10 ctl status "$OK" >/dev/null || fail "healthy phone not ready"
run_ctl 3 enable-backup "$OFF"
expect_out "enable-backup is not allowed on this machine"
expect_entries 1 MESSAGE_ID="$REFUSED_ID" ACTION_UID=0 ACTION=enable-backup STATE=refused
run_ctl 3 restart "$OK"
expect_out "restart is not allowed"
[ "$("$SIM" --ctl "$WORK/sim.ctl" stats | sed 's/.*backup_requests=\([0-9]*\).*/\1/')" = 0 ] ||
	fail "a refused request reached the phone"
echo "ok - actions off: refused with a clear message, journaled"
stop_daemon

write_config "[Actions]
Allow=enable-backup restart
RestartTimeout=4s"
start_daemon
wait_for 10 ctl status "$OK" >/dev/null || fail "healthy phone not ready"

# --- naming nothing is refused ---
run_ctl 2 restart
expect_out "needs the phones (UDID or name), or --all"
run_ctl 2 enable-backup nosuchphone
expect_out "no such device: nosuchphone"

# --- enable-backup turns a backup-off phone ready ---
# The phone backed up before it was switched off, as far as the test goes: with no date a
# switched-on phone is "never backed up" until its first backup, which is true but not this test.
now_2001=$(($(date +%s) - 978307200))
"$SIM" --ctl "$WORK/sim.ctl" set "$OFF" com.apple.mobile.backup LastCloudBackupDate "$now_2001" >/dev/null
ctl refresh "$OFF" >/dev/null || true
run_ctl 1 status "$OFF"
run_ctl 0 enable-backup "$OFF"
expect_out "Sim backup-off: iCloud Backup switched on"
run_ctl 0 status "$OFF"
expect_entries 1 MESSAGE_ID="$ENABLE_ID" DEVICE_UDID="$OFF" ACTION_UID=0 STATE=done PRIORITY=5
echo "ok - enable-backup: backup-off phone is ready afterwards, journaled"

# --- each failure has its message and exit status 4 ---
check_failure() { # UDID STATE TEXT
	run_ctl 4 enable-backup "$1"
	expect_out "$3"
	expect_entries 1 MESSAGE_ID="$ENABLE_ID" DEVICE_UDID="$1" STATE="$2" PRIORITY=4 ACTION_UID=0
	echo "ok - enable-backup $2: '$3', exit 4, journaled"
}
check_failure "$NOACC" no-icloud-account "no iCloud account on the phone"
check_failure "$RESTR" restricted "the phone's management locks iCloud Backup"
check_failure "$LOCKED" locked "locked since restart: enter the passcode"
check_failure "$UNPAIRED" not-paired "not paired with this computer"
# A phone's own error that backupd has no name for: its ErrorCode and description.
"$SIM" --ctl "$WORK/sim.ctl" cloudbackup "$OK" setup-unfinished >/dev/null
run_ctl 4 enable-backup "$OK"
expect_out "the phone refused: ErrorCode 212: Unable to backup until Setup is finished (MBErrorDomain/212)"
expect_entries 1 MESSAGE_ID="$ENABLE_ID" DEVICE_UDID="$OK" STATE=phone-error PHONE_ERROR_CODE=212
run_ctl 4 --json enable-backup "$OK"
expect_out '"outcome": "phone-error"'
expect_out '"code": 212'
"$SIM" --ctl "$WORK/sim.ctl" cloudbackup "$OK" ok >/dev/null
echo "ok - enable-backup phone-error: the phone's ErrorCode and description, exit 4, journaled"

# --- restart: detach, attach, fresh verdict ---
"$SIM" --ctl "$WORK/sim.ctl" restartdelay "$OK" 1500 >/dev/null
before=$(journal_count MESSAGE_ID="$(msgid device.attached)" DEVICE_UDID="$OK")
run_ctl 0 restart "$OK"
expect_out "Sim healthy: restarted and back"
expect_entries 1 MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$OK" STATE=restarting ACTION_UID=0
expect_entries 1 MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$OK" STATE=back
expect_entries 1 MESSAGE_ID="$(msgid device.detached)" DEVICE_UDID="$OK"
expect_entries $((before + 1)) MESSAGE_ID="$(msgid device.attached)" DEVICE_UDID="$OK"
probed=$(ctl --json status "$OK" | sed -n 's/.*"probed_at": \([0-9]*\).*/\1/p' | head -1)
[ "$probed" -ge "$(($(date +%s) - 5))" ] || fail "no fresh probe after the restart ($probed)"
echo "ok - restart: detached, attached again, probed at once"

# --- a phone that never comes back is reported after RestartTimeout ---
"$SIM" --ctl "$WORK/sim.ctl" restartdelay "$OK" -1 >/dev/null
start=$(date +%s)
rc=0
timeout 60 "$BACKUPCTL" --socket "$WORK/control" restart "$OK" >"$WORK/restart.out" 2>&1 &
RESTART=$!
# While it is away, status shows it as restarting.
shows_restarting() { ctl status | grep -q "^Sim healthy .* restarting "; }
wait_for 5 shows_restarting || fail "status does not show the phone as restarting"
ctl --json status "$OK" | grep -q '"restarting": true' || fail "no restarting in the JSON"
wait "$RESTART" || rc=$?
OUT=$(cat "$WORK/restart.out")
[ "$rc" = 4 ] || fail "restart of a phone that stays away: exit $rc: $OUT"
took=$(($(date +%s) - start))
expect_out "did not come back within RestartTimeout"
[ "$took" -ge 4 ] && [ "$took" -le 25 ] || fail "reported after $took s, RestartTimeout is 4s"
expect_entries 1 MESSAGE_ID="$OVERDUE_ID" DEVICE_UDID="$OK" STATE=not-back PRIORITY=4
ctl status | grep -q "^Sim healthy .* restarting " && fail "still shown as restarting after RestartTimeout"
echo "ok - restart: a phone that stays away is reported after RestartTimeout ($took s)"
stop_daemon

# --- authorisation: a ControlGroup member outside ActionGroup, then inside it ---
chmod 755 "$WORK"
write_config "[Actions]
Allow=enable-backup
[Daemon]
ControlGroup=nogroup"
start_daemon
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$BACKUPCTL" --socket "$WORK/control" "$@"; }
wait_for 10 as_nobody status "$OFF" >/dev/null || fail "nobody cannot read status"
rc=0
OUT=$(as_nobody enable-backup "$OFF" 2>&1) || rc=$?
[ "$rc" = 3 ] || fail "nobody outside ActionGroup: exit $rc"
expect_out "permission denied: enable-backup needs root (no ActionGroup=)"
expect_entries 1 MESSAGE_ID="$REFUSED_ID" ACTION_UID=65534 STATE=refused
stop_daemon
write_config "[Actions]
Allow=enable-backup
ActionGroup=nogroup
[Daemon]
ControlGroup=nogroup"
start_daemon
wait_for 10 as_nobody status "$OFF" >/dev/null || fail "nobody cannot read status"
rc=0
OUT=$(as_nobody enable-backup "$OFF" 2>&1) || rc=$?
[ "$rc" = 0 ] || fail "nobody in ActionGroup: exit $rc: $OUT"
expect_entries 1 MESSAGE_ID="$ENABLE_ID" ACTION_UID=65534 STATE=done
echo "ok - authorisation: status for ControlGroup, actions only for ActionGroup (or root)"
stop_daemon
echo "all passed"
