#!/bin/sh
# SPDX-License-Identifier: ISC
# device_space end to end: a simulated phone with 0.3 GB free fails it at the default
# MinimumFreeSpace=1G, in the journal (its MESSAGE_ID, reason, and its catalog entry with the
# table's fix), backupctl (blocker, fix, JSON), and /metrics (the verdict, the floor in effect,
# the fix for the alert rules); freeing space mends it, and a [Device] MinimumFreeSpace= for
# that phone alone is the floor it is judged by after a reload.
# Usage (inside journal-ns.sh): device_space.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"

PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"
H=$(udid_of healthy)
F=$(udid_of phone-full)
ID=$(msgid precondition.device_space)
[ -n "$ID" ] || fail "no MESSAGE_ID for device_space"
FIX=$("$BUILD/tests/integration/precondition_fixes" | awk -F "$(printf '\t')" '$1 == "device_space" { print $3 }')
[ -n "$FIX" ] || fail "no fix for device_space in the table"
# ICloudQuota large enough that only device_space holds the full phone back.
write_config "[Rules]
ICloudQuota=1T"
start_sim healthy phone-full
start_daemon
wait_for 10 ctl status "$H" || fail "healthy phone not ready (device_space must let it pass)"

expect_entries 1 MESSAGE_ID="$ID" DEVICE_UDID="$F" PRECONDITION=device_space STATE=failing \
	PRIORITY=4 DEVICE_NAME="Sim phone-full" REASON~"0.3 GB free on the phone, less than the 1.0 GB"
expect_entries 0 MESSAGE_ID="$ID" DEVICE_UDID="$H"
awk -v id="$ID" '/^-- / { on = ($2 == id); next } on' "$BUILD/systemd/backupd.catalog" |
	tr -s ' \n' '  ' | grep -qF "To fix it: $FIX" || fail "the catalog's entry $ID lacks the table's fix"
echo "ok - journal: one failing entry with its MESSAGE_ID; the catalog gives the table's fix"

ctl status "$F" >"$WORK/detail" && fail "backupctl calls the full phone ready"
grep -qF "fix: $FIX" "$WORK/detail" || fail "backupctl status $F lacks the fix: $(cat "$WORK/detail")"
ctl status >"$WORK/table" || true
grep "Sim phone-full" "$WORK/table" | grep -q "phone-full" || fail "no phone-full blocker: $(cat "$WORK/table")"
ctl --json status "$F" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["devices"][0]["preconditions"]
v = [r for r in rows if r["name"] == "device_space"][0]
assert v["state"] == "failing" and v["fix"] == sys.argv[1], v' "$FIX" || fail "JSON verdict of device_space is not failing"
echo "ok - backupctl: not ready, blocker phone-full, the table's fix, JSON verdict failing"

scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || fail "scrape failed"
for line in "backupd_device_precondition{udid=\"$F\",precondition=\"device_space\",state=\"failing\"} 1" \
	"backupd_device_precondition{udid=\"$H\",precondition=\"device_space\",state=\"ok\"} 1" \
	"backupd_device_minimum_free_space_bytes{udid=\"$F\"} 1000000000"; do
	grep -qxF "$line" "$WORK/scrape.txt" || fail "/metrics lacks: $line"
done
grep -F 'backupd_precondition_info{precondition="device_space",blocker="phone-full",fix=' "$WORK/scrape.txt" |
	grep -qF "$FIX" || fail "/metrics lacks the fix of device_space for the alert rules"
echo "ok - metrics: the verdict, the floor in effect and the fix"

# A floor for this phone alone, after a reload: 0.3 GB is enough for 100M.
write_config "[Rules]
ICloudQuota=1T
[Device $F]
MinimumFreeSpace=100M"
kill -HUP "$DAEMON_PID"
expect_entries 1 MESSAGE_ID="$ID" DEVICE_UDID="$F" STATE=ok PRIORITY=5
wait_for 10 metrics_has "127.0.0.1:$PORT" "backupd_device_minimum_free_space_bytes{udid=\"$F\"} 100000000" ||
	fail "the per-phone floor is not in /metrics"
echo "ok - [Device] MinimumFreeSpace=100M for that phone: ok again after a reload"

# Back to the default floor: failing again; then space is freed on the phone.
write_config "[Rules]
ICloudQuota=1T"
kill -HUP "$DAEMON_PID"
expect_entries 2 MESSAGE_ID="$ID" DEVICE_UDID="$F" STATE=failing
sim set "$F" com.apple.disk_usage TotalDataAvailable 20000000000
ctl refresh "$F" >/dev/null || fail "space freed but the phone is not ready"
expect_entries 1 MESSAGE_ID="$ID" DEVICE_UDID="$F" STATE=ok REASON~"20.0 GB free on the phone"
echo "ok - freeing space on the phone mends it"
