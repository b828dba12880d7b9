#!/bin/sh
# SPDX-License-Identifier: ISC
# A FIFO under SysfsRoot (issue 21 item 6): attribute files are opened non-blocking and read
# only when they are regular files, so a FIFO where a phone's serial or idVendor should be
# neither stalls the slot lookup thread nor, through it, SIGTERM; backupd still answers and
# exits within 10 s of SIGTERM (systemd's stop timeout is 90 s).
# Usage (inside journal-ns.sh): backupd_sysfs_fifo.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

mkdir "$WORK/sys"
SIM_ARGS="--sysfs $WORK/sys --seed 3" start_sim healthy no-power
H=$(udid_of healthy)
N=$(udid_of no-power)
port_of() { "$SIM" --ctl "$WORK/sim.ctl" ports | tr ' ' '\n' | sed -n "s/^$1=//p"; }
HP=$(port_of "$H")
NP=$(port_of "$N")
D="$WORK/sys/bus/usb/devices"
[ -f "$D/$HP/serial" ] && [ -f "$D/$NP/idVendor" ] || fail "no sysfs entries for the phones"
rm "$D/$HP/serial" "$D/$NP/idVendor"
mkfifo "$D/$HP/serial" "$D/$NP/idVendor"
write_config "[Daemon]
SysfsRoot=$WORK/sys"
start_daemon
wait_for 20 ctl status "$H" >/dev/null || fail "healthy phone not ready with FIFOs in sysfs"
sleep 2 # the lookups have run (one pass per attach)
start=$(date +%s)
timeout 5 "$BACKUPCTL" --socket "$WORK/control" status >/dev/null || [ $? -ne 124 ] ||
	fail "status does not answer"
kill -TERM "$DAEMON_PID"
i=0
while kill -0 "$DAEMON_PID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$DAEMON_PID" 2>/dev/null; then
	kill -KILL "$DAEMON_PID"
	DAEMON_PID=""
	fail "backupd still running 10 s after SIGTERM with a FIFO under SysfsRoot"
fi
wait "$DAEMON_PID" || fail "backupd exited non-zero on SIGTERM"
DAEMON_PID=""
echo "ok - FIFOs under SysfsRoot: status answers, SIGTERM ends backupd in $(($(date +%s) - start)) s"
echo "all passed"
