#!/bin/sh
# SPDX-License-Identifier: ISC
# Slot identity through idevice-sim's sysfs tree: each phone's port path is found by its USB
# serial, named by [Hub]/[Slot] sections, kept across moves and restarts; a port nothing names
# shows as its path; no sysfs = no slot. Usage (inside journal-ns.sh): backupd_slots.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"

mkdir "$WORK/sys"
SIM_ARGS="--sysfs $WORK/sys --seed 3" start_sim healthy no-power
H=$(udid_of healthy)
N=$(udid_of no-power)
write_config "[Daemon]
SysfsRoot=$WORK/sys
[Hub 1-1]
Cart=Cart 3
[Hub 1-2]
Cart=Cart 3
FirstSlot=8
[Slot 1-1.6]
Name=Teacher"
start_daemon

port_of() { "$SIM" --ctl "$WORK/sim.ctl" ports | tr ' ' '\n' | sed -n "s/^$1=//p"; }
field() { # UDID FIELD: a string field of the phone's status, "null" when null
	ctl --json status "$1" | sed -n "s/^ *\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" | head -n 1
}
status_has() { ctl --json status "$1" | grep -q "$2"; } # UDID PATTERN
HP=$(port_of "$H")
wait_for 10 status_has "$H" '"name": "Sim healthy"' || fail "healthy phone never probed"
wait_for 10 status_has "$H" "\"port_path\": \"$HP\"" ||
	fail "port path of the healthy phone not found (sim says $HP): $(ctl --json status "$H" | grep -A3 port_path)"
case "$HP" in
1-1.*) want_slot=${HP#1-1.} ;;
1-2.*) want_slot=$((${HP#1-2.} + 7)) ;;
esac
[ "$(field "$H" cart)" = "Cart 3" ] || fail "cart of $HP: $(field "$H" cart)"
[ "$(field "$H" slot)" = "$want_slot" ] || fail "slot of $HP: $(field "$H" slot), want $want_slot"
[ "$(field "$H" usb_speed_mbps)" = 480 ] || fail "link speed not read"
echo "ok - port path by USB serial, named by [Hub] ($HP = Cart 3/$want_slot)"

# Another vendor's device with the phone's serial on a port must not be taken for it.
SERIAL=$(echo "$H" | tr -d -)
"$SIM" --ctl "$WORK/sim.ctl" usbdev 1-1.5 046d:c31c "$SERIAL" >/dev/null || fail "usbdev"
sim move "$H" 1-2.3 5000
wait_for 10 status_has "$H" '"port_path": "1-2.3"' ||
	fail "moved phone not found in its new port"
[ "$(field "$H" slot)" = 10 ] || fail "slot after the move: $(field "$H" slot)"
[ "$(field "$H" usb_speed_mbps)" = 5000 ] || fail "speed after the move"
ctl slots >"$WORK/slots.txt" || fail "backupctl slots failed"
grep -q "^Cart 3/10 .*1-2.3 .*Sim healthy" "$WORK/slots.txt" || fail "slots: new port $(cat "$WORK/slots.txt")"
grep -q "^Cart 3/$want_slot .*$HP .*(empty) .*empty .* Sim healthy" "$WORK/slots.txt" ||
	fail "slots: old port not empty with its last phone: $(cat "$WORK/slots.txt")"
scrape "127.0.0.1:$PORT" >"$WORK/scrape.txt" || fail "scrape failed"
grep -q "^backupd_device_info{udid=\"$H\",name=\"Sim healthy\",.*,slot_cart=\"Cart 3\",slot=\"10\",port_path=\"1-2.3\"} 1$" "$WORK/scrape.txt" ||
	fail "device_info without its slot: $(grep device_info "$WORK/scrape.txt")"
echo "ok - a moved phone gets its new slot (status, slots, /metrics); the old port is empty, last phone named"

# backupctl version: a read-only verb beside slots, answered by this very daemon.
ctl version >"$WORK/version.txt" || fail "backupctl version failed"
grep -q "^backupd [^ ]* (protocol [0-9]*), pid $DAEMON_PID, up [0-9]" "$WORK/version.txt" ||
	fail "version does not name this daemon (pid $DAEMON_PID): $(cat "$WORK/version.txt")"
! grep -q "another version" "$WORK/version.txt" || fail "same build called another version"
ctl --json version | grep -q "\"pid\": $DAEMON_PID" || fail "version --json: $(ctl --json version)"
ctl version extra >/dev/null 2>&1 && fail "version took an argument"
echo "ok - backupctl version names the running daemon, its pid and uptime"

sim move "$H" 2-4
wait_for 10 status_has "$H" '"port_path": "2-4"' || fail "unconfigured port"
[ "$(field "$H" cart)" = null ] && [ "$(field "$H" slot)" = null ] || fail "unconfigured port has a name"
ctl status | grep -q "^Sim healthy  *2-4 " || fail "status does not show the port path: $(ctl status)"
echo "ok - a port no section names shows as its path"

sim move "$H" 1-1.6
wait_for 10 status_has "$H" '"slot": "Teacher"' || fail "[Slot] Name= not applied"
# Cart order: the phone in Cart 3/Teacher sorts after numbered slots of the same cart.
NP=$(port_of "$N")
ctl --no-legend status >"$WORK/status.txt" || true
case "$NP" in 1-*) first="Sim no-power" ;; *) first="Sim healthy" ;; esac
head -n 1 "$WORK/status.txt" | cut -f2 | grep -qx "$first" || fail "status not in cart order: $(cat "$WORK/status.txt")"
echo "ok - [Slot] overrides the name; status in cart order"

# History survives a restart; without sysfs the port is not known, never guessed.
stop_daemon
write_config "[Daemon]
SysfsRoot=$WORK/nonexistent
[Hub 1-1]
Cart=Cart 3"
start_daemon
wait_for 10 status_has "$H" '"probe_status": "ok"' || fail "no probe after restart"
[ "$(field "$H" port_path)" = null ] || fail "port guessed without sysfs: $(field "$H" port_path)"
ctl status | grep -q "^Sim healthy  *- " || fail "unknown slot not shown as -"
ctl slots | grep -q "2-4 .*(empty)" || fail "visits lost over the restart: $(ctl slots)"
echo "ok - no sysfs: no slot; visits kept over a restart"
