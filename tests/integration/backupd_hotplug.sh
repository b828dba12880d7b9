#!/bin/sh
# SPDX-License-Identifier: ISC
# Attach, detach and pair are followed; usbmuxd going away and coming back is said once each
# way and the fleet is re-enumerated. Usage (inside journal-ns.sh): backupd_hotplug.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy not-paired
# Not a test of ProbeTimeout: the not-paired phone's Pair makes a key pair, which takes more
# than the library's 3 s on a loaded machine (it was then "unresponsive", not "not paired").
write_config "[Probe]
ProbeTimeout=60s"
start_daemon
H=$(udid_of healthy)
P=$(udid_of not-paired)
ATT=$(msgid device.attached)
DET=$(msgid device.detached)
wait_for 30 ctl status "$H" || fail "healthy device not ready"
expect_entries 1 MESSAGE_ID="$ATT" DEVICE_UDID="$H"
expect_entries 1 MESSAGE_ID="$(msgid unreachable.not_paired)" DEVICE_UDID="$P" STATE=failing
ctl --json status "$P" | grep -q '"probe_status": *"not_paired"' || fail "not_paired not shown"
ctl --json status "$P" | grep -q '"name": *"Sim not-paired"' || fail "unpaired phone's name not shown"
echo "ok - attach entries; an unpaired phone has its own state"

sim detach "$H"
expect_entries 1 MESSAGE_ID="$DET" DEVICE_UDID="$H"
ctl --json status "$H" | grep -q '"attached": *false' || fail "detached device not shown as such"
sim attach "$H"
expect_entries 2 MESSAGE_ID="$ATT" DEVICE_UDID="$H"
wait_for 30 ctl status "$H" || fail "re-attached device not ready"
echo "ok - detach and re-attach"

# Tapping Trust: Detached, Attached, Paired; the probe that follows succeeds.
sim pair "$P"
expect_entries 1 MESSAGE_ID="$(msgid precondition.reachable)" DEVICE_UDID="$P" STATE=ok
echo "ok - pairing is noticed and the device recovers"

sim usbmuxd down
USB=$(msgid fleet.usbmuxd_unavailable)
expect_entries 1 MESSAGE_ID="$USB" PRIORITY=4
expect_entries 2 MESSAGE_ID="$DET" DEVICE_UDID="$H"
sleep 5
expect_entries 1 MESSAGE_ID="$USB" PRIORITY=4
kill -0 "$DAEMON_PID" || fail "backupd died without usbmuxd"
ctl --json status >/dev/null 2>&1 || [ $? -le 1 ] || fail "backupctl unanswered without usbmuxd"
echo "ok - usbmuxd gone: said once, daemon keeps serving"
sim usbmuxd up
expect_entries 1 MESSAGE_ID="$USB" PRIORITY=5
expect_entries 3 MESSAGE_ID="$ATT" DEVICE_UDID="$H"
wait_for 30 ctl status "$H" || fail "device not ready after usbmuxd came back"
echo "ok - usbmuxd back: said once, fleet re-enumerated"
