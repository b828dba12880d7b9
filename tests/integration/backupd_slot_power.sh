#!/bin/sh
# SPDX-License-Identifier: ISC
# A charging fault that follows the slot or the phone, through idevice-sim's sysfs tree and
# charging values: three phones rotated through slots with one slot broken (the slot is
# blamed once, by name); one broken phone through two good slots (the phone is blamed, no
# slot entry); one phone in one slot is the plain verdict; the history survives a restart.
# Usage (inside journal-ns.sh): backupd_slot_power.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

mkdir "$WORK/sys"
SIM_ARGS="--sysfs $WORK/sys" start_sim healthy backup-off no-wifi unlocked
A=$(udid_of healthy)
B=$(udid_of backup-off)
C=$(udid_of no-wifi)
D=$(udid_of unlocked)
write_config "[Daemon]
SysfsRoot=$WORK/sys
[Hub 1-1]
Cart=Cart 3"
start_daemon
SLOTMSG=$(msgid slot.cannot_charge)

status_has() { ctl --json status "$1" | grep -q "$2"; } # UDID PATTERN
charging() { # UDID yes|no: the phone's battery values as its port makes them
	if [ "$2" = yes ]; then
		sim set "$1" com.apple.mobile.battery BatteryIsCharging true
	else
		sim set "$1" com.apple.mobile.battery BatteryIsCharging false
	fi
	sim set "$1" com.apple.mobile.battery ExternalConnected true
	sim set "$1" com.apple.mobile.battery FullyCharged false
	sim set "$1" com.apple.mobile.battery BatteryCurrentCapacity 40
}
# put UDID PORT yes|no: moves the phone, waits until backupd sees the port, probes it. The
# battery values change while it is unplugged: a probe at the old port must not see them.
put() {
	sim detach "$1" >/dev/null
	charging "$1" "$3"
	sim move "$1" "$2"
	wait_for 10 status_has "$1" "\"port_path\": \"$2\"" || fail "$1 not seen in $2"
	ctl refresh "$1" >/dev/null || true
}
# says UDID TEXT WHAT: the phone's detail view holds TEXT.
says() { ctl status "$1" | grep -qF "$2" || fail "$3: $(ctl status "$1")"; }
# slot_entries N: exactly N slot-level entries (after a moment for any late one).
slot_entries() { sleep 1; expect_entries "$1" MESSAGE_ID="$SLOTMSG"; }

for u in "$A" "$B" "$C" "$D"; do wait_for 10 status_has "$u" '"probe_status": "ok"' || fail "$u not probed"; done
# Off the cart's hub first (the seeded ports are the ones the test uses).
put "$A" 2-1 yes
put "$B" 2-2 yes
put "$C" 2-3 yes
put "$D" 2-4 no
put "$A" 1-1.1 no
put "$B" 1-1.2 yes
put "$C" 1-1.3 yes
says "$A" "the cable, port or adapter cannot charge" "one phone, one slot: not the plain verdict"
echo "ok - too little evidence: the plain cable-or-port verdict"

put "$A" 1-1.4 yes
put "$C" 1-1.1 no
says "$C" "slot Cart 3/1 cannot charge: also seen with Sim healthy" "second phone in the broken slot"
expect_entries 1 MESSAGE_ID="$SLOTMSG" SLOT="Cart 3/1" PORT_PATH=1-1.1
put "$C" 1-1.3 yes
put "$B" 1-1.1 no
says "$B" "slot Cart 3/1 cannot charge: also seen with Sim healthy, Sim no-wifi" "third phone in the broken slot"
slot_entries 1
echo "ok - the broken slot is blamed once, by name; each phone in it is told so"

put "$D" 1-1.2 no
put "$A" 1-1.5 yes
put "$D" 1-1.4 no
says "$D" "cannot charge in Cart 3/4 or Cart 3/2, where other phones charge: the phone's connector or battery" "broken phone"
slot_entries 1
echo "ok - one phone failing in two good slots: the phone is blamed, no slot entry"

stop_daemon
start_daemon
for u in "$B" "$D"; do wait_for 10 status_has "$u" '"port_path"' || fail "$u port after restart"; done
wait_for 10 status_has "$B" '"port_path": "1-1.1"' || fail "B's port after restart"
ctl refresh "$B" >/dev/null || true
says "$B" "slot Cart 3/1 cannot charge: also seen with Sim healthy, Sim no-wifi" "history lost over the restart"
slot_entries 1
echo "ok - charging history and the slot entry's memory survive a restart"
