#!/bin/sh
# SPDX-License-Identifier: ISC
# AutoEnableBackup=yes through the daemon with a moved clock (BACKUPD_CLOCK_OFFSET_FILE): a
# phone found with iCloud Backup off is switched on by backupd itself (journaled, ACTION_UID
# auto), once per phone per day: switched off again the same day it is left alone; the next
# day it is switched on again. Off by default (backupd.actions runs without it).
# Usage (inside journal-ns.sh): backupd_auto_enable.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
export BACKUPD_CLOCK_OFFSET_FILE="$WORK/offset"
echo 0 >"$WORK/offset"

start_sim backup-off healthy
OFF=$(udid_of backup-off)
OK=$(udid_of healthy)
ID=$(msgid action.enable_backup)
now_2001=$(($(date +%s) - 978307200))
sim set "$OFF" com.apple.mobile.backup LastCloudBackupDate "$now_2001"
write_config "[Actions]
AutoEnableBackup=yes"
start_daemon

expect_entries 1 MESSAGE_ID="$ID" DEVICE_UDID="$OFF" ACTION_UID=auto STATE=done
wait_for 10 ctl status "$OFF" >/dev/null || fail "not ready after AutoEnableBackup"
[ "$(journal_count MESSAGE_ID="$ID" DEVICE_UDID="$OK")" = 0 ] || fail "a phone with backup on was touched"
echo "ok - a backup-off phone is switched on by backupd, journaled with ACTION_UID=auto"

# Someone switches it off again the same day: backupd sees it, leaves it (once a day).
sim set "$OFF" com.apple.mobile.backup CloudBackupEnabled false
ctl refresh "$OFF" >/dev/null || true
ctl status "$OFF" >/dev/null && fail "backup switched off but shown ready"
sleep 2
[ "$(journal_count MESSAGE_ID="$ID" DEVICE_UDID="$OFF")" = 1 ] || fail "tried twice in one day"
echo "ok - off again the same day: not tried again"

# The next day (UTC), it is tried again by the periodic scan.
sim set "$OFF" com.apple.mobile.backup LastCloudBackupDate "$((now_2001 + 86400))"
echo 86400 >"$WORK/offset"
i=0
until [ "$(journal_count MESSAGE_ID="$ID" DEVICE_UDID="$OFF" STATE=done)" = 2 ]; do
	i=$((i + 1))
	[ $i -le 150 ] || fail "not tried again the next day"
	sleep 0.1
done
echo "ok - the next day it is switched on again"
stop_daemon
echo "all passed"
