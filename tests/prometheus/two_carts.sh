#!/bin/sh
# SPDX-License-Identifier: ISC
# The whole path with real engines: two carts (two idevice-sim, two backupd with /metrics on
# loopback), Debian's prometheus scraping both every second with conf/'s rules (only `for:`
# shortened) and file_sd target labels, Debian's prometheus-alertmanager with conf/'s example
# config (timers shortened, addresses made local) notifying a loopback webhook receiver.
# Checks the counts across both carts, the alerts each cart's phones raise, the fix texts from
# the precondition table in the notification and in backupctl, every dashboard query, one
# notification for a phone unplugged from one cart, one for Apple's outage seen by both carts.
# Usage (inside journal-ns.sh): two_carts.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
HERE="$SRC/tests/prometheus"
CONF="$SRC/conf/prometheus"
SIM="$BUILD/tests/sim/idevice-sim"
BACKUPD="$BUILD/bin/backupd"
BACKUPCTL="$BUILD/bin/backupctl"
PROFILES="$SRC/tests/fixtures/devices"
# Debian's python3 starts in a tenth of the time of a shim in front of another one.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
API="$PY $HERE/prom_api.py"
HOOK="$PY $HERE/webhook_receiver.py"
export NO_COLOR=1
. "$SRC/scripts/wait_for.sh"

WORK=$(mktemp -d /tmp/backupd-carts.XXXXXX)
PIDS=""
fail() {
	echo "FAIL: $*" >&2
	for log in "$WORK"/*.log; do
		echo "--- $log (last 15 lines)" >&2
		tail -n 15 "$log" >&2
	done
	exit 1
}
# Daemons and simulators must exit 0 on SIGTERM (a sanitizer report fails the test).
cleanup() {
	rc=$?
	trap '' PIPE HUP INT TERM # a reader gone (| head) must not stop the cleanup half way
	set +e
	for pid in $PIDS; do
		name=${pid#*:}
		pid=${pid%%:*}
		kill "$pid" 2>/dev/null || continue
		wait "$pid"
		status=$?
		case $name in backupd* | sim*)
			[ $status -eq 0 ] || { echo "FAIL: $name exited with $status" >&2; tail -n 40 "$WORK/$name.log" >&2; rc=1; } ;;
		esac
	done
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT INT TERM HUP PIPE
started() { PIDS="$1:$2 $PIDS"; } # PID NAME

set -- $($API ports 5)
P_PROM=$1 P_AM=$2 P_A=$3 P_B=$4 P_SMTP=$5
PROM="http://127.0.0.1:$P_PROM"

# --- Apple's status feed, shared by both carts ---
. "$SRC/tests/integration/feed_lib.sh"
start_feed_server
started "$FEED_PID" feed
feed serve "$SRC/tests/fixtures/status-feed/healthy.json"

# --- two carts: a simulator and a backupd each ---
udid_of() {
	sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;q}' "$1"
}
H_B=00008101-000B2C3D4E5F6A7B
sed -e "s/$(udid_of "$PROFILES/healthy.plist")/$H_B/" -e 's/Sim healthy/Sim healthy B/' \
	"$PROFILES/healthy.plist" >"$WORK/healthy-b.plist"

start_sim() { # CART PROFILE_FILE...: the simulator of one cart
	cart=$1
	shift
	args=""
	for p in "$@"; do args="$args --profile $p"; done
	# shellcheck disable=SC2086
	"$SIM" --socket "$WORK/$cart.mux" --control "$WORK/$cart.ctl" --ready-file "$WORK/$cart.ready" \
		$args >"$WORK/sim-$cart.log" 2>&1 &
	started $! "sim-$cart"
}
start_daemon() { # CART METRICS_PORT
	cart=$1
	wait_for 10 test -e "$WORK/$cart.ready" || fail "simulator of $cart did not start"
	mkdir -p "$WORK/state-$cart"
	cat >"$WORK/$cart.conf" <<EOF
[Probe]
PollInterval=10s
ProbeTimeout=3s
Workers=2
[Rules]
ICloudQuota=50G
[Alerts]
AlertHoldoff=0
[StatusFeed]
StatusFeedURL=$FEED_URL
UnreachableAlertAfter=0
[IOS]
CatalogURL=
[Daemon]
StateDirectory=$WORK/state-$cart
ControlSocket=$WORK/$cart.control
ControlGroup=root
[Metrics]
Listen=127.0.0.1:$2
EOF
	USBMUXD_SOCKET_ADDRESS="UNIX:$WORK/$cart.mux" "$BACKUPD" --config "$WORK/$cart.conf" \
		>"$WORK/backupd-$cart.log" 2>&1 &
	started $! "backupd-$cart"
	eval "PID_$cart=$!"
}
# The simulators make their keys at the same time; then the daemons start.
start_sim a "$PROFILES/healthy.plist" "$PROFILES/backup-off.plist" "$PROFILES/not-charging.plist"
start_sim b "$WORK/healthy-b.plist" "$PROFILES/no-wifi.plist" "$PROFILES/unlocked.plist" \
	"$PROFILES/stale-backup.plist"
start_daemon a "$P_A"
start_daemon b "$P_B"
for cart in a b; do
	wait_for 10 test -S "$WORK/$cart.control" || fail "backupd of $cart did not open its control socket"
done
H_A=$(udid_of "$PROFILES/healthy.plist")
OFF_A=$(udid_of "$PROFILES/backup-off.plist")

# --- webhook receiver, Alertmanager with the shipped example, Prometheus with the rules ---
$HOOK serve "$WORK/hook.port" "$WORK/hook.jsonl" /alerts/backupd >"$WORK/hook.log" 2>&1 &
started $! hook
wait_for 5 test -s "$WORK/hook.port" || fail "webhook receiver did not start"
touch "$WORK/hook.jsonl"
sed -e 's/^\(  *group_wait:\).*/\1 1s/' -e 's/^\(  *group_interval:\).*/\1 2s/' \
	-e "s|http://127.0.0.1:9097/|http://127.0.0.1:$(cat "$WORK/hook.port")/|" \
	-e "s|mail.example.org:587|127.0.0.1:$P_SMTP|" -e "s|/etc/prometheus/smtp-password|$WORK/smtp-password|" \
	"$CONF/alertmanager.example.yml" >"$WORK/alertmanager.yml"
grep -q "127.0.0.1:$(cat "$WORK/hook.port")/" "$WORK/alertmanager.yml" || fail "no webhook URL to point at the receiver"
echo test >"$WORK/smtp-password"
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
	--web.listen-address="127.0.0.1:$P_AM" --cluster.listen-address="" >"$WORK/alertmanager.log" 2>&1 &
started $! alertmanager

sed 's/^\(  *for:\).*/\1 1s/' "$CONF/backupd.rules.yml" >"$WORK/backupd.rules.yml"
mkdir "$WORK/carts"
cat >"$WORK/carts/carts.yml" <<EOF
- targets: ["127.0.0.1:$P_A"]
  labels: {cart: "cart-a", site: "north"}
- targets: ["127.0.0.1:$P_B"]
  labels: {cart: "cart-b", site: "east"}
EOF
cat >"$WORK/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$WORK/backupd.rules.yml"]
alerting:
  alertmanagers: [{static_configs: [{targets: ["127.0.0.1:$P_AM"]}]}]
scrape_configs:
  - job_name: backupd
    file_sd_configs: [{files: ["$WORK/carts/*.yml"], refresh_interval: 1s}]
EOF
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
	--web.listen-address="127.0.0.1:$P_PROM" >"$WORK/prometheus.log" 2>&1 &
started $! prometheus
wait_for 20 $API ready "$PROM" || fail "prometheus not ready"
wait_for 20 $API ready "http://127.0.0.1:$P_AM" || fail "alertmanager not ready"

# expect EXPR VALUE [EXPR VALUE]...: each within 20 s of the call
expect() { $API wait "$PROM" 20 "$@" || fail "Prometheus: not as expected (above)"; }

expect 'sum(up{job="backupd"})' 2 \
	'sum(backupd_devices{state="ready"})' 2 \
	'sum(backupd_devices{state="not_ready"})' 5 \
	'sum(backupd_devices{cart="cart-a", state="ready"})' 1 \
	'sum(backupd_devices{cart="cart-b", state="not_ready"})' 3 \
	'sum(backupd_devices{state=~"unknown|detached"})' 0 \
	'count(backupd_device_ready{state="ready"} == 1)' 2 \
	'count(backupd_device_info{site="east"})' 4
echo "ok - counts across both carts: 2 ready, 5 not ready, by cart and site"

firing() { # ALERTNAME LABEL_MATCHERS
	echo "count(ALERTS{alertstate=\"firing\", alertname=\"$1\"${2:+, $2}})"
}
expect "$(firing BackupdPhoneNotReady)" 3 \
	"$(firing BackupdPhoneNotReady 'cart="cart-a", precondition="backup_enabled"')" 1 \
	"$(firing BackupdPhoneNotReady 'cart="cart-b", precondition="wifi"')" 1 \
	"$(firing BackupdPhoneNotReady 'cart="cart-b", precondition="locked"')" 1 \
	"$(firing BackupdCannotCharge 'cart="cart-a"')" 1 \
	"$(firing BackupdBackupStale)" 2 \
	"$(firing BackupdPhoneMissing)" none
echo "ok - each failing phone raises its rule's alert on its cart"

# The fix reaches the notification and backupctl from the precondition table.
tab=$(printf '\t')
FIX_OFF=$("$BUILD/tests/integration/precondition_fixes" | awk -F "$tab" '$1 == "backup_enabled" { print $3 }')
notified() { # ALERTNAME: firing notifications holding it (then one line per alert)
	$HOOK count "$WORK/hook.jsonl" "$1"
}
wait_for 20 sh -c "$HOOK count '$WORK/hook.jsonl' BackupdPhoneNotReady | grep -q '\"precondition\": \"backup_enabled\"'" ||
	fail "no notification for the phone with iCloud Backup off"
notified BackupdPhoneNotReady | grep "\"udid\": \"$OFF_A\"" | grep -F "\"fix\": \"$FIX_OFF\"" | grep -q '"cart": "cart-a"' ||
	fail "notification lacks the cart or the table's fix \"$FIX_OFF\": $(notified BackupdPhoneNotReady)"
"$BACKUPCTL" --socket "$WORK/a.control" status "$OFF_A" | grep -qF "fix: $FIX_OFF" ||
	fail "backupctl status $OFF_A lacks the table's fix"
echo "ok - the table's fix in the webhook notification and in backupctl"

# Unplug a phone from cart a: one alert, one notification naming it and its cart.
"$SIM" --ctl "$WORK/a.ctl" detach "$H_A" >/dev/null || fail "sim detach"
expect 'sum(backupd_devices{cart="cart-a", state="detached"})' 1 \
	'sum(backupd_devices{state="ready"})' 1 \
	"$(firing BackupdPhoneMissing "cart=\"cart-a\", udid=\"$H_A\", name=\"Sim healthy\"")" 1 \
	"$(firing BackupdPhoneMissing)" 1
wait_for 20 sh -c "[ \"\$($HOOK count '$WORK/hook.jsonl' BackupdPhoneMissing | head -n 1)\" -ge 1 ]" ||
	fail "no notification for the unplugged phone"
sleep 3 # more than group_interval: a second notification would have come
notified BackupdPhoneMissing >"$WORK/missing"
[ "$(head -n 1 "$WORK/missing")" = 1 ] || fail "not one notification for the missing phone: $(cat "$WORK/missing")"
[ "$(wc -l <"$WORK/missing")" = 2 ] || fail "not one alert in it: $(cat "$WORK/missing")"
grep "\"udid\": \"$H_A\"" "$WORK/missing" | grep '"name": "Sim healthy"' | grep -q '"cart": "cart-a"' ||
	fail "the notification does not name the phone and its cart: $(cat "$WORK/missing")"
echo "ok - unplugged phone: one alert, one notification naming Sim healthy on cart-a"

# Every dashboard query runs; the key panels have data.
$PY "$HERE/dashboard_check.py" "$PROM" "$SRC/conf/grafana/backupd-carts.json" \
	--data "Phones ready" --data "Phones not ready" --data "Phones missing from their carts" \
	--data "Apple iCloud Backup" --data "Phones per cart" --data "Not-ready phones and their blockers" \
	--data "Missing phones" --data "Last iCloud backup age" --data "Apple's iCloud Backup status per host" \
	--data "backupd hosts" --data "Firing backupd alerts" >"$WORK/dashboard.out" 2>&1 ||
	fail "dashboard: $(grep FAIL "$WORK/dashboard.out")"
echo "ok - dashboard: $(grep -c samples "$WORK/dashboard.out") panel queries run, key panels have data"

# Apple's outage on both carts: one alert and one notification for the fleet.
feed serve "$SRC/tests/fixtures/status-feed/backup-outage.json"
kill -HUP "$PID_a" "$PID_b"
expect 'count(backupd_icloud_service{state="failing"} == 1)' 2 \
	"$(firing BackupdICloudBackupOutage)" 1
wait_for 20 sh -c "[ \"\$($HOOK count '$WORK/hook.jsonl' BackupdICloudBackupOutage | head -n 1)\" -ge 1 ]" ||
	fail "no notification for Apple's outage"
sleep 3
notified BackupdICloudBackupOutage >"$WORK/outage"
[ "$(head -n 1 "$WORK/outage")" = 1 ] && [ "$(wc -l <"$WORK/outage")" = 2 ] ||
	fail "not one notification with one alert for Apple's outage: $(cat "$WORK/outage")"
grep -q '2 backupd hosts see it' "$WORK/outage" || fail "outage notification does not count 2 hosts: $(cat "$WORK/outage")"
echo "ok - Apple's outage on both carts: one notification"

# A cart's backupd gone: its target is down.
kill "$PID_b"
wait "$PID_b" || fail "backupd of cart b exited badly"
expect "$(firing BackupdTargetDown 'cart="cart-b"')" 1
echo "ok - cart-b's backupd stopped: BackupdTargetDown"
grep -q '"wrong"' "$WORK/hook.jsonl" && fail "requests to another webhook path: $(grep wrong "$WORK/hook.jsonl")"
exec 3>&-
