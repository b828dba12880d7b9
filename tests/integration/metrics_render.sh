#!/bin/sh
# SPDX-License-Identifier: ISC
# The renderer on its own: device strings that try to break the text format come out escaped,
# promtool check metrics stays silent, and the numbers are exact.
# Usage: metrics_render.sh METRICS_RENDER_DUMP SRC
set -eu
DUMP=$1 SRC=$2
WORK=$(mktemp -d /tmp/metrics-render.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
. "$SRC/tests/integration/metrics_lib.sh"

"$DUMP" >"$WORK/out.txt" || fail "metrics_render_dump failed"
promtool_silent "$WORK/out.txt"
echo "ok - promtool check metrics is silent on hostile device strings"
expect() {
	grep -qxF "$1" "$WORK/out.txt" || fail "missing: $1"
}
U=00008030-00000000000000
expect "backupd_device_info{udid=\"${U}00\",name=\"Cart \\\"3\\\" #12\",model=\"iPhone 13\",product_type=\"iPhone14,5\",ios_version=\"17.5.1\",slot_cart=\"\",slot=\"\",port_path=\"\"} 1"
expect "backupd_device_info{udid=\"${U}01\",name=\"evil\\nbackupd_device_attached{udid=\\\"x\\\"} 1\",model=\"iPhone\\\"1\",product_type=\"iPhone\\\"1\",ios_version=\"17.5.1\",slot_cart=\"\",slot=\"\",port_path=\"\"} 1"
expect "backupd_device_info{udid=\"${U}02\",name=\"C:\\\\phones\\\\\",model=\"iPhone 13\",product_type=\"iPhone14,5\",ios_version=\"17.5.1\",slot_cart=\"\",slot=\"\",port_path=\"\"} 1"
expect "backupd_device_info{udid=\"${U}03\",name=\"bad $(printf '\357\277\275\357\277\275') utf-8 $(printf '\357\277\275')\",model=\"iPhone 13\",product_type=\"iPhone14,5\",ios_version=\"17.5.1\",slot_cart=\"\",slot=\"\",port_path=\"\"} 1"
[ "$(grep -c '^backupd_device_attached{udid="x"}' "$WORK/out.txt")" -eq 0 ] || fail "a name injected a series"
echo "ok - quotes, backslashes, newlines escaped; invalid UTF-8 replaced; no injected series"
expect "backupd_device_battery_ratio{udid=\"${U}00\"} 0"
expect "backupd_device_battery_ratio{udid=\"${U}01\"} 0.25"
expect "backupd_device_battery_ratio{udid=\"${U}02\"} 0.5"
expect "backupd_device_external_power{udid=\"${U}01\"} 1"
expect "backupd_device_external_power{udid=\"${U}02\"} 0"
expect "backupd_device_backup_size_bytes{udid=\"${U}00\"} 28000000000"
expect "backupd_device_icloud_quota_bytes{udid=\"${U}00\"} 5000000000"
expect "backupd_device_last_backup_timestamp_seconds{udid=\"${U}00\"} 1699990000"
grep -q "^backupd_device_last_backup_timestamp_seconds{udid=\"${U}02\"}" "$WORK/out.txt" && fail "a phone never backed up has a backup time"
grep -q "^backupd_device_charging{" "$WORK/out.txt" && fail "an unknown charging state was exported"
# The detached phone (04): attached 0, readiness and preconditions unknown, no live values.
expect "backupd_device_attached{udid=\"${U}04\"} 0"
expect "backupd_device_ready{udid=\"${U}04\",state=\"unknown\"} 1"
expect "backupd_device_precondition{udid=\"${U}04\",precondition=\"power\",state=\"unknown\"} 1"
grep -q "^backupd_device_battery_ratio{udid=\"${U}04\"}" "$WORK/out.txt" && fail "a detached phone has a battery value"
expect 'backupd_devices{state="detached"} 1'
expect 'backupd_status_feed_last_success_timestamp_seconds 1700000100'
expect 'backupd_probe_duration_seconds_bucket{le="0.005"} 1'
expect 'backupd_probe_duration_seconds_bucket{le="1"} 2'
expect 'backupd_probe_duration_seconds_bucket{le="+Inf"} 5'
expect 'backupd_probe_duration_seconds_count 5'
expect 'backupd_probe_duration_seconds_sum 7.015'
expect 'backupd_probe_duration_seconds_bucket{le="2.5"} 4'
expect 'backupd_probes_total{result="unresponsive"} 1'
expect 'backupd_probes_total{result="ok"} 4'
echo "ok - values: ratios, bytes, timestamps, histogram buckets and counters exact; detached phone unknown"
