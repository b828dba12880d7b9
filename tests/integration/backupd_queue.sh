#!/bin/sh
# SPDX-License-Identifier: ISC
# Probes waiting in the queue: a device detached while its probe waits is probed again once
# it returns; a refresh of an unknown device answers at once; a reload that changes Workers
# while probes run loses none. Usage (inside journal-ns.sh): backupd_queue.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy slow
write_config ""
sed -i 's/^Workers=4$/Workers=1/' "$WORK/backupd.conf"
start_daemon
H=$(udid_of healthy)
S=$(udid_of slow)
wait_for 15 ctl status "$H" || fail "healthy device not ready"

# The one worker is busy with the slow phone (a delay per reply) while healthy waits.
sim behaviour "$S" slow 700
ctl refresh >/dev/null 2>&1 &
bg=$!
sleep 0.3
sim detach "$H"
sim attach "$H"
wait "$bg" || true
start=$(date +%s)
ctl refresh "$H" >/dev/null || fail "re-attached device not probed again"
[ $(($(date +%s) - start)) -le 15 ] || fail "refresh of the re-attached device took too long"
echo "ok - a device detached while queued is probed again after it returns"

start=$(date +%s%N)
set +e
ctl refresh no-such-phone >/dev/null 2>&1
rc=$?
set -e
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 2 ] || fail "refresh of an unknown device: exit $rc, want 2"
[ "$ms" -le 2000 ] || fail "refresh of an unknown device took $ms ms"
echo "ok - refresh of an unknown device answers at once ($ms ms)"

# Reload with another worker count while a probe runs: nothing crashes, nothing is lost.
ctl refresh >/dev/null 2>&1 &
bg=$!
sleep 0.2
sed -i 's/^Workers=1$/Workers=3/' "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
wait "$bg" || true
kill -0 "$DAEMON_PID" || fail "backupd died on a reload that changed Workers"
sim behaviour "$S" normal
ctl refresh >/dev/null || fail "devices not ready after the reload"
echo "ok - reload changing Workers while probes run"
