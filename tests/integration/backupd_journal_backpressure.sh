#!/bin/sh
# SPDX-License-Identifier: ISC
# journald that stops reading does not stall the daemon: with the private journald stopped
# (SIGSTOP) while phones come and go, backupctl status still answers at once; entries beyond
# the queue are dropped and counted, and once journald runs again one entry says how many.
# Usage (inside journal-ns.sh): backupd_journal_backpressure.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy backup-off
write_config ""
export BACKUPD_JOURNAL_QUEUE=20 # a small queue, so a few dozen entries overflow it
start_daemon
H=$(udid_of healthy)
wait_for 10 ctl status "$H" || fail "healthy device is not ready after start"
expect_entries 2 MESSAGE_ID="$(msgid device.attached)"

kill -STOP "$JOURNALD_PID"
resume() { kill -CONT "$JOURNALD_PID" 2>/dev/null || true; }
trap 'rc=$?; resume; cleanup $rc' EXIT INT TERM
# 40 attach and detach entries: more than journald's socket queue and ours together
for i in $(seq 20); do
	sim detach "$H"
	sim attach "$H"
done
start=$(date +%s%N)
rc=0
timeout 5 "$BACKUPCTL" --socket "$WORK/control" status >/dev/null 2>&1 || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -ne 124 ] || { resume; fail "backupctl status hung while journald was stopped"; }
[ "$ms" -lt 2000 ] || { resume; fail "backupctl status took $ms ms while journald was stopped"; }
echo "ok - backupctl status answered in $ms ms while journald was stopped"

kill -CONT "$JOURNALD_PID"
# the next entry after the stop goes through, and the drop line follows it
sim detach "$H"
expect_entries 1 JOURNAL_DROPPED PRIORITY=4 "MESSAGE~entries dropped"
dropped=$("$JCHECK" --print JOURNAL_DROPPED "$WORK/journal.json" JOURNAL_DROPPED |
	grep -v matching | tail -n 1)
[ "${dropped:-0}" -gt 0 ] || fail "drop line without a count"
kill -0 "$DAEMON_PID" || fail "backupd died while journald was stopped"
echo "ok - $dropped entries dropped while journald was stopped, and said once it ran again"
