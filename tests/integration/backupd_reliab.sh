#!/bin/sh
# SPDX-License-Identifier: ISC
# Faults the daemon must live through (issue 12): usbmuxd restarts leave no descriptor behind,
# a deleted or non-file configuration never replaces the running one. Usage (inside
# journal-ns.sh): BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

attached() {
	ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["attached"])'
}
attached_is() { [ "$(attached)" = "$1" ]; }
logged() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -qF -- "$1"
}
fds() { ls "/proc/$DAEMON_PID/fd" | wc -l; }

start_sim healthy backup-off large-data
write_config ""
export BACKUPD_TRACE=1 # the watcher's exits and libusbmuxd's own error lines, in daemon.log
start_daemon
wait_for 10 attached_is 3 || fail "3 phones not attached at start"
sleep 1
before=$(fds)
# Without the watcher process each restart cost one descriptor for good (libusbmuxd 2.0.2).
for i in 1 2 3 4 5 6 7 8; do
	sim usbmuxd down
	wait_for 5 attached_is 0 || fail "restart $i: phones still attached with usbmuxd down"
	sim usbmuxd up
	wait_for 10 attached_is 3 || fail "restart $i: phones not back within 10 s"
done
sleep 1
after=$(fds)
[ "$after" -le $((before + 2)) ] || fail "descriptors grew over 8 usbmuxd restarts: $before -> $after"
echo "ok - 8 usbmuxd restarts: phones back each time, descriptors $before -> $after"

# usbmuxd writes its output in whatever pieces the socket takes, so a header can arrive in two
# parts. libusbmuxd 2.0.2 reads a header with one recv() and falls out of step: it waits 5 s
# for a payload that never comes, reports the phones it knew removed and connects again
# without closing the old connection. The phones come back on the new one; the watcher moves
# to it, closes the old one, and still ends when usbmuxd goes away.
in_log_since() { tail -n +"$1" "$WORK/daemon.log" | grep -qF -- "$2"; }
log_mark() { echo $(($(wc -l <"$WORK/daemon.log") + 1)); }
watcher_pid() { pgrep -P "$DAEMON_PID" -f -- --usbmuxd-watcher; }
watcher_sockets() { ls -l "/proc/$1/fd" | grep -c 'socket:' || true; }
watcher_sockets_are() { [ "$(watcher_sockets "$1")" = "$2" ]; }
# ended and reaped (the daemon reaps ended watchers at its 2 s usbmuxd presence check too)
ended() { ! kill -0 "$1" 2>/dev/null; }
mark=$(log_mark)
sim usbmuxd split-next
sim usbmuxd down
wait_for 5 attached_is 0 || fail "split header: phones still attached with usbmuxd down"
wait_for 5 in_log_since "$mark" "usbmuxd watcher_end" || fail "split header: the old watcher's end not seen"
mark=$(log_mark)
sim usbmuxd up
wait_for 10 in_log_since "$mark" "Received packet is too small, got 8 bytes" ||
	fail "split header: libusbmuxd did not read the short header (is the simulator splitting?)"
wait_for 15 in_log_since "$mark" "disconnecting all devices" ||
	fail "split header: libusbmuxd did not give up on the connection"
wait_for 10 attached_is 3 || fail "split header: phones not back on libusbmuxd's new connection"
wait_for 5 in_log_since "$mark" "backupd-trace usbmuxd reconnected" ||
	fail "split header: the watcher did not move to libusbmuxd's new connection"
in_log_since "$mark" "watcher_end" && fail "split header: the watcher ended"
watcher=$(watcher_pid) || fail "split header: no watcher"
wait_for 5 watcher_sockets_are "$watcher" 2 ||
	fail "split header: the watcher holds $(watcher_sockets "$watcher") sockets, want 2 (the daemon's, usbmuxd's)"
sim usbmuxd down
wait_for 5 attached_is 0 || fail "split header: usbmuxd going away not seen on the new connection"
wait_for 5 ended "$watcher" || fail "split header: watcher $watcher outlived usbmuxd"
sim usbmuxd up
wait_for 10 attached_is 3 || fail "split header: phones not back after the next restart"
echo "ok - a split usbmuxd header: libusbmuxd connects again, the watcher follows it with 2 sockets and ends with usbmuxd"

# Under systemd the daemon's stdout and stderr are a socket to journald, with a named peer,
# and the watcher inherits them: it must never take them for usbmuxd's connection (it once
# did, then closed them, and slept on journald through usbmuxd's restarts).
stop_daemon
python3 - "$WORK/stdio.sock" "$WORK/stdio.log" "$WORK/stdio.pid" "$BACKUPD" --config "$WORK/backupd.conf" <<'PY' &
import os, socket, subprocess, sys
path, log, pidfile, argv = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(path)
conn, _ = server.accept()
daemon = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=client, stderr=client)
client.close()
with open(pidfile + ".tmp", "w") as f:
    f.write(str(daemon.pid))
os.rename(pidfile + ".tmp", pidfile)
with open(log, "ab") as out:
    while True:
        data = conn.recv(65536)
        if not data:
            break
        out.write(data)
        out.flush()
daemon.wait()
PY
STDIO_PID=$!
wait_for 10 test -s "$WORK/stdio.pid" || fail "stdio socket: daemon not started"
DAEMON_PID=$(cat "$WORK/stdio.pid")
wait_for 30 test -S "$WORK/control" || fail "stdio socket: no control socket"
wait_for 10 attached_is 3 || fail "stdio socket: phones not attached"
watcher=$(watcher_pid) || fail "stdio socket: no watcher"
sim detach "$(udid_of healthy)"
sim attach "$(udid_of healthy)"
wait_for 10 attached_is 3 || fail "stdio socket: phone not back"
[ -e "/proc/$watcher/fd/1" ] && [ -e "/proc/$watcher/fd/2" ] || fail "stdio socket: the watcher closed its stdout or stderr"
sim usbmuxd down
wait_for 5 attached_is 0 || fail "stdio socket: usbmuxd down not seen"
wait_for 5 ended "$watcher" ||
	fail "stdio socket: watcher $watcher outlived usbmuxd (it watches the wrong socket)"
sim usbmuxd up
wait_for 10 attached_is 3 || fail "stdio socket: phones not back after usbmuxd came back"
kill -TERM "$DAEMON_PID"
wait "$STDIO_PID" || fail "stdio socket: daemon or its log relay failed"
DAEMON_PID=""
rm -f "$WORK/control"
start_daemon
wait_for 10 attached_is 3 || fail "phones not attached after the restart"
echo "ok - stdio on a named socket (as journald's): the watcher keeps it and still ends with usbmuxd"

# Deleting the main file and sending SIGHUP keeps the running configuration (ICloudQuota=50G
# here; the 5G default would fail storage-full's phone... and others).
quota_before=$(ctl status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted((x["udid"], x["ready"]) for x in d["devices"]))')
mv "$WORK/backupd.conf" "$WORK/backupd.conf.away"
kill -HUP "$DAEMON_PID"
wait_for 5 logged "reload failed; keeping the configuration in use" ||
	fail "SIGHUP with the config deleted was not refused"
logged "backupd.conf: cannot open: No such file or directory" ||
	fail "the refusal does not say why"
ctl refresh >/dev/null || true
quota_after=$(ctl status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted((x["udid"], x["ready"]) for x in d["devices"]))')
[ "$quota_before" = "$quota_after" ] || fail "verdicts changed after a refused reload: $quota_before -> $quota_after"
echo "ok - config deleted + SIGHUP: refused, running configuration kept"

# A FIFO in its place: refused at once, the loop never waits on it.
mkfifo "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 logged "backupd.conf: not a regular file (a FIFO); refused" ||
	fail "FIFO config not refused"
t0=$(date +%s%N)
ctl status >/dev/null || true
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -lt 2000 ] || fail "status took $ms ms after a FIFO reload"
set +e
timeout 5 "$BACKUPD" --config "$WORK/backupd.conf" --check-config 2>"$WORK/err"
rc=$?
set -e
[ $rc -eq 78 ] || fail "--check-config on a FIFO: exit $rc, want 78 (124 = it hung)"
rm "$WORK/backupd.conf"
mv "$WORK/backupd.conf.away" "$WORK/backupd.conf"
echo "ok - FIFO config: reload refused at once, status answers in $ms ms, --check-config exits 78"

set +e
"$BACKUPD" --config "$WORK/mistyped.conf" --check-config 2>"$WORK/err"
rc=$?
set -e
[ $rc -eq 78 ] || fail "--check-config --config on a missing file: exit $rc, want 78"
grep -q "mistyped.conf: cannot open: No such file or directory" "$WORK/err" ||
	fail "missing file error: $(cat "$WORK/err")"
echo "ok - --check-config --config /mistyped/path exits 78 and says why"

# "too many clients" is logged once per minute with a count, not once per refused connect.
RAW="$BUILD/tests/integration/ctl_raw_client"
"$RAW" "$WORK/control" toomany 400 >/dev/null || fail "toomany 400"
"$RAW" "$WORK/control" toomany 400 >/dev/null || fail "toomany 400 (again)"
journalctl --sync 2>/dev/null
n=$(journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -c "too many clients" || true)
[ "$n" = 1 ] || fail "\"too many clients\" logged $n times for 2 x 144 refusals, want 1"
echo "ok - 288 refused connects: one \"too many clients\" line"

# A changed ControlSocket applies on reload; a changed ControlGroup says it waits for a restart.
sed -i -e "s#^ControlSocket=.*#ControlSocket=$WORK/control2#" -e 's/^ControlGroup=root/ControlGroup=daemon/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 test -S "$WORK/control2" || fail "new ControlSocket not bound on reload"
"$BACKUPCTL" --socket "$WORK/control2" status >/dev/null || [ $? -eq 1 ] || fail "no answer on the new socket"
[ ! -e "$WORK/control" ] || fail "old control socket left behind"
wait_for 5 logged "control: ControlGroup=daemon applied" || fail "ControlGroup change not applied"
[ "$(stat -c %G "$WORK/control2")" = daemon ] || fail "new socket not given to group daemon"
sed -i -e "s#^ControlSocket=.*#ControlSocket=$WORK/control#" -e 's/^ControlGroup=daemon/ControlGroup=root/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 test -S "$WORK/control" || fail "ControlSocket not moved back"
echo "ok - ControlSocket moved on reload; ControlGroup looked up off the loop and applied"

# A read-only StateDirectory: one warning however many saves fail, one line when it works.
stop_daemon
mount -t tmpfs -o size=1m tmpfs "$WORK/state"
start_daemon
wait_for 10 attached_is 3 || fail "phones not attached"
mount -o remount,ro "$WORK/state"
for i in 1 2 3; do
	sim detach "$(udid_of healthy)"
	sleep 3
	sim attach "$(udid_of healthy)"
	sleep 3
done
n=$(journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -c "could not write the state file" || true)
[ "$n" = 1 ] || fail "read-only StateDirectory: $n warnings over 3 failed saves, want 1"
mount -o remount,rw "$WORK/state"
sim detach "$(udid_of healthy)"
wait_for 10 logged "the state file is written again (after" || fail "recovery of the state file not said"
umount -l "$WORK/state" 2>/dev/null || true
echo "ok - read-only StateDirectory warned once; recovery said"
