#!/bin/sh
# SPDX-License-Identifier: ISC
# OnCartHours with a moved clock (BACKUPD_CLOCK_OFFSET_FILE, TZ=UTC): a phone detached outside
# the window is not reported; inside it, once, with its last slot and when it was last seen;
# it recovers when it comes back; detached inside the window, it is reported at once.
# Usage (inside journal-ns.sh): backupd_oncart.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

export TZ=UTC
export BACKUPD_CLOCK_OFFSET_FILE="$WORK/offset"
now=$(date +%s)
midnight=$((now - now % 86400))
at() { echo $((midnight + $1 * 3600 - now)) >"$WORK/offset"; } # at HOUR: the daemon's clock
at 12
mkdir "$WORK/sys"
SIM_ARGS="--sysfs $WORK/sys" start_sim healthy backup-off
H=$(udid_of healthy)
write_config "[Daemon]
SysfsRoot=$WORK/sys
[Rules]
OnCartHours=18:00-07:00
[Hub 1-1]
Cart=Cart 3"
start_daemon
OFF=$(msgid device.off_cart)
status_has() { ctl --json status "$1" | grep -q "$2"; } # UDID PATTERN
wait_for 10 status_has "$H" '"port_path": "1-1.' || fail "no port for the phone"
wait_for 10 status_has "$H" '"name": "Sim healthy"' || fail "phone not probed"
port=$("$SIM" --ctl "$WORK/sim.ctl" ports | tr ' ' '\n' | sed -n "s/^$H=//p")
slot="Cart 3/${port#1-1.}"

sim detach "$H"
sleep 12 # a poll passes (PollInterval=10s) at noon
expect_entries 0 MESSAGE_ID="$OFF"
echo "ok - detached outside OnCartHours: not reported"

at 20
wait_for 15 sh -c "[ \"\$(journalctl --no-pager -o cat MESSAGE_ID=$OFF | wc -l)\" -ge 1 ]" || true
expect_entries 1 MESSAGE_ID="$OFF" STATE=failing DEVICE_UDID="$H" LAST_SLOT="$slot"
journalctl --no-pager -o cat MESSAGE_ID="$OFF" | grep -q "Sim healthy is not on the cart: last in $slot, last seen 8 h ago" ||
	fail "entry text: $(journalctl --no-pager -o cat MESSAGE_ID="$OFF")"
ctl --json status "$H" | grep -q '"off-cart"' || fail "off-cart blocker not shown"
sleep 11
expect_entries 1 MESSAGE_ID="$OFF" STATE=failing
echo "ok - inside the window: reported once, with its last slot and when it was last seen"

sim attach "$H"
expect_entries 1 MESSAGE_ID="$OFF" STATE=ok DEVICE_UDID="$H"
ctl --json status "$H" | grep -q '"off_cart": false' || fail "off_cart not cleared"
sim detach "$H"
expect_entries 2 MESSAGE_ID="$OFF" STATE=failing DEVICE_UDID="$H"
echo "ok - back on the cart: recovered; detached inside the window: reported at once"
