#!/bin/sh
# SPDX-License-Identifier: ISC
# Each precondition's failure and its recovery make exactly one journal entry with the right
# MESSAGE_ID, PRIORITY and fields. Usage (inside journal-ns.sh): backupd_preconditions.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy
write_config "[Rules]
MinimumIOS=17.0"
start_daemon
U=$(udid_of healthy)
wait_for 10 ctl status "$U" || fail "healthy device is not ready after start"

# flip PRECONDITION FAIL_PRIORITY "sim commands to break it" "sim commands to mend it"
flip() {
	name=$1 prio=$2 breaking=$3 mending=$4
	id=$(msgid "precondition.$name")
	[ -n "$id" ] || fail "no MESSAGE_ID for $name"
	echo "$breaking" | while IFS= read -r cmd; do [ -n "$cmd" ] && sim $cmd; done
	ctl refresh "$U" >/dev/null || true
	expect_entries 1 MESSAGE_ID="$id" DEVICE_UDID="$U" PRECONDITION="$name" STATE=failing \
		PRIORITY="$prio" DEVICE_NAME="Sim healthy" PRODUCT_TYPE=iPhone15,2 REASON
	ctl status "$U" >/dev/null && fail "$name failing but backupctl says ready"
	# a second probe of the same failure writes nothing more
	ctl refresh "$U" >/dev/null || true
	expect_entries 1 MESSAGE_ID="$id" DEVICE_UDID="$U" STATE=failing
	echo "$mending" | while IFS= read -r cmd; do [ -n "$cmd" ] && sim $cmd; done
	ctl refresh "$U" >/dev/null || fail "$name mended but the device is not ready"
	expect_entries 1 MESSAGE_ID="$id" DEVICE_UDID="$U" PRECONDITION="$name" STATE=ok PRIORITY=5
	echo "ok - $name: one failure entry, one recovery entry"
}

flip backup_enabled 4 "set $U com.apple.mobile.backup CloudBackupEnabled false" \
	"set $U com.apple.mobile.backup CloudBackupEnabled true"
flip locked 4 "set $U - PasswordProtected false" "set $U - PasswordProtected true"
# A charging battery is on power whatever ExternalConnected says: unplugged is both false.
flip power 4 "set $U com.apple.mobile.battery ExternalConnected false
set $U com.apple.mobile.battery BatteryIsCharging false" \
	"set $U com.apple.mobile.battery ExternalConnected true
set $U com.apple.mobile.battery BatteryIsCharging true"
flip wifi 4 "wifi $U -" "wifi $U SchoolNet"
flip icloud_storage 4 "set $U com.apple.disk_usage TotalDataAvailable 1000000000" \
	"set $U com.apple.disk_usage TotalDataAvailable 240800000000"
flip ios_current 4 "set $U - ProductVersion 16.7.2" "set $U - ProductVersion 17.5.1"
now_2001=$(($(date +%s) - 978307200))
flip backup_recent 3 "unset $U com.apple.mobile.backup LastCloudBackupDate" \
	"set $U com.apple.mobile.backup LastCloudBackupDate $now_2001"

# On power but not charging (below the 80% that Optimised Battery Charging holds) is the same
# precondition with its own reason.
sim set "$U" com.apple.mobile.battery BatteryIsCharging false
sim set "$U" com.apple.mobile.battery BatteryCurrentCapacity 41
ctl refresh "$U" >/dev/null || true
expect_entries 1 MESSAGE_ID="$(msgid precondition.power)" STATE=failing REASON~"not charging"
echo "ok - power: on power but not charging"
