#!/bin/sh
# SPDX-License-Identifier: ISC
# No user-database lookup on the event loop (issue 21 item 4): with an NSS that takes 3 s per
# group lookup (slow_nss.so, LD_PRELOAD), a reload that changes ActionGroup= and ControlGroup=
# under socket activation (unit_check compares the socket's group) leaves status answering
# within 1 s throughout; the new groups apply once their lookups answer.
# Usage (inside journal-ns.sh): backupd_slow_nss.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

chmod 755 "$WORK"
write_config "[Actions]
Allow=restart
ActionGroup=nogroup"
# The shim is not built with the sanitizers: ASan need not come first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# systemd-socket-activate passes on only the environment named with -E.
systemd-socket-activate -l "$WORK/control" -E LD_PRELOAD="$BUILD/tests/integration/libslow_nss.so" \
	-E SLOW_NSS_MS=3000 -E ASAN_OPTIONS -E LSAN_OPTIONS -E UBSAN_OPTIONS -E USBMUXD_SOCKET_ADDRESS \
	"$BACKUPD" --config "$WORK/backupd.conf" >>"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for 30 test -S "$WORK/control" || fail "no control socket"
chmod 666 "$WORK/control" # backupd, not the file mode, judges who may connect
answers() { timeout 1 "$BACKUPCTL" --socket "$WORK/control" status >/dev/null 2>&1 || [ $? -ne 124 ]; }
wait_for 30 answers || fail "backupd does not answer status"
grep -q slow_nss "/proc/$DAEMON_PID/maps" || fail "the slow NSS shim is not loaded"
as_daemon_gid() { setpriv --reuid=65534 --regid=1 --clear-groups "$BACKUPCTL" --socket "$WORK/control" "$@"; }

sed -i 's/^ActionGroup=nogroup/ActionGroup=daemon/; s/^ControlGroup=root/ControlGroup=daemon/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
sleep 0.2
i=0
while [ $i -lt 8 ]; do # 4 s: past both 3 s lookups
	start=$(date +%s%N)
	answers || fail "status took over 1 s during a reload with a slow NSS (try $i)"
	took=$((($(date +%s%N) - start) / 1000000))
	[ "$took" -lt 1000 ] || fail "status took $took ms during a reload with a slow NSS"
	sleep 0.5
	i=$((i + 1))
done
echo "ok - status answered within 1 s throughout a reload whose group lookups take 3 s"

# The lookups did answer: gid daemon may now act (an unknown phone: refused for that, not
# for permission), and the ControlGroup change is logged as applied.
applied() {
	rc=0
	OUT=$(as_daemon_gid restart nosuchphone 2>&1) || rc=$?
	[ "$rc" = 2 ]
}
wait_for 15 applied || fail "ActionGroup=daemon not applied: exit $rc: $OUT"
expect_entries 1 MESSAGE="control: ControlGroup=daemon applied"
echo "ok - ActionGroup= and ControlGroup= applied once the slow lookups answered"
stop_daemon
echo "all passed"
