#!/bin/sh
# SPDX-License-Identifier: ISC
# /metrics of the real daemon against idevice-sim: promtool check metrics is silent on a real
# scrape; the series follow attach and detach; HTTP abuse (metrics_http_check.py); a reload
# rebinds or says why not; a bad Listen= names file:line.
# Usage (inside journal-ns.sh): backupd_metrics.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"

command -v promtool >/dev/null || fail "promtool missing (scripts/deps.sh installs prometheus)"
PORT=$(free_port)
PORT2=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT [::1]:$PORT"
start_sim healthy not-paired backup-off no-power
write_config "MaxConnections=4
RequestTimeout=2s"
start_daemon
H=$(udid_of healthy)
P=$(udid_of not-paired)
B=$(udid_of backup-off)
wait_for 10 ctl status "$H" || fail "healthy device not ready"
wait_for 10 metrics_has "127.0.0.1:$PORT" 'backupd_probes_total{result="not_paired"} 1' ||
	fail "the not-paired probe is not counted"

scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || fail "scrape failed"
promtool_silent "$WORK/scrape.txt"
scrape "[::1]:$PORT" >"$WORK/scrape6.txt" || fail "scrape over IPv6 failed"
echo "ok - promtool check metrics is silent on a real scrape (IPv4 and IPv6)"

expect_line() { # FILE LINE
	grep -qxF "$2" "$1" || fail "missing in the scrape: $2"
}
S=$WORK/scrape.txt
expect_line "$S" "backupd_device_attached{udid=\"$H\"} 1"
expect_line "$S" "backupd_device_ready{udid=\"$H\",state=\"ready\"} 1"
expect_line "$S" "backupd_device_ready{udid=\"$P\",state=\"unknown\"} 1"
expect_line "$S" "backupd_device_ready{udid=\"$B\",state=\"not_ready\"} 1"
expect_line "$S" "backupd_device_precondition{udid=\"$B\",precondition=\"backup_enabled\",state=\"failing\"} 1"
expect_line "$S" "backupd_device_precondition{udid=\"$B\",precondition=\"backup_enabled\",state=\"ok\"} 0"
expect_line "$S" "backupd_device_precondition{udid=\"$B\",precondition=\"backup_enabled\",state=\"unknown\"} 0"
expect_line "$S" "backupd_devices{state=\"ready\"} 1"
expect_line "$S" "backupd_usbmuxd_up 1"
expect_line "$S" "backupd_journal_dropped_total 0"
expect_line "$S" "backupd_alert_command_dropped_total 0"
expect_line "$S" 'backupd_alert_command_runs_total{result="timeout"} 0'
grep -q "^backupd_device_info{udid=\"$H\",name=\"Sim healthy\",model=\"[^\"]*\",product_type=\"iPhone[0-9,]*\",ios_version=\"[0-9.]*\",slot_cart=\"\",slot=\"\",port_path=\"\"} 1$" "$S" ||
	fail "device_info of the healthy phone: $(grep "device_info{udid=\"$H\"" "$S")"
grep -q "^backupd_device_battery_ratio{udid=\"$H\"} 0\.[0-9]*$\|^backupd_device_battery_ratio{udid=\"$H\"} 1$" "$S" ||
	fail "battery ratio of the healthy phone not in 0..1"
# Each state set has all its states: 3 readiness series per device, 3 per precondition.
n_ready=$(grep -c '^backupd_device_ready{' "$S")
n_pre=$(grep -c '^backupd_device_precondition{' "$S")
[ "$n_ready" -eq 12 ] || fail "expected 12 backupd_device_ready series, got $n_ready"
n_table=$("$BUILD/tests/integration/precondition_fixes" | wc -l)
[ "$n_pre" -eq $((4 * n_table * 3)) ] ||
	fail "expected $((4 * n_table * 3)) precondition series (4 phones, $n_table preconditions), got $n_pre"
# Descriptive labels only on the _info series.
grep -v '^#' "$S" | grep -v '^backupd_device_info{' | grep -q 'name=' && fail "name= outside backupd_device_info"
echo "ok - per-device series with udid only; state sets complete; device_info carries the names"

sim detach "$H"
wait_for 10 metrics_has "127.0.0.1:$PORT" "backupd_device_attached{udid=\"$H\"} 0" ||
	fail "a detached phone is not kept with attached 0"
scrape "127.0.0.1:$PORT" >"$S"
expect_line "$S" "backupd_devices{state=\"detached\"} 1"
expect_line "$S" "backupd_device_ready{udid=\"$H\",state=\"unknown\"} 1"
grep -q "^backupd_device_battery_ratio{udid=\"$H\"}" "$S" && fail "a detached phone still shows a battery"
promtool_silent "$S"
echo "ok - a detached phone stays, attached 0, readiness unknown"

python3 "$SRC/tests/integration/metrics_http_check.py" 127.0.0.1 "$PORT" 4 2 ||
	fail "HTTP abuse checks"
kill -0 "$DAEMON_PID" || fail "backupd died under HTTP abuse"

# Reload: a changed Listen= rebinds; an address that cannot be bound is said, the old kept.
sed -i "s/^Listen=.*/Listen=127.0.0.1:$PORT2/" "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 scrape "127.0.0.1:$PORT2" || fail "reload did not bind 127.0.0.1:$PORT2"
scrape "127.0.0.1:$PORT" >/dev/null 2>&1 && fail "the old address still answers after the reload"
logged "metrics: /metrics now served on 127.0.0.1:$PORT2" || fail "rebind not logged"
BUSY=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close(); time.sleep(30)' "$BUSY" "$WORK/busy" &
HOLDER=$!
wait_for 5 test -e "$WORK/busy" || fail "could not hold port $BUSY"
sed -i "s/^Listen=.*/Listen=127.0.0.1:$PORT2 127.0.0.1:$BUSY/" "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 logged "cannot listen on 127.0.0.1:$BUSY: Address already in use; /metrics stays on 127.0.0.1:$PORT2" ||
	fail "a busy port on reload is not explained"
kill "$HOLDER"
scrape "127.0.0.1:$PORT2" >/dev/null || fail "the kept address stopped answering"
echo "ok - reload rebinds; a busy port is explained and the old address kept"

printf '[Metrics]\nListen=localhost:9816\n' >"$WORK/bad.conf"
out=$("$BACKUPD" --check-config --config "$WORK/bad.conf" 2>&1) && fail "localhost:9816 accepted"
echo "$out" | grep -q "bad.conf:2: Listen: expected ADDRESS:PORT" || fail "bad Listen= message: $out"
echo "ok - a bad Listen= names file:line"

stop_daemon
cleanup 0
