#!/bin/sh
# SPDX-License-Identifier: ISC
# A kill -9 right after an alert entry does not repeat it after the restart: the alert memory
# reaches the state file as soon as the save path allows (persist_mark_urgent), not on the
# 5 s timer. Each round flips one phone's iCloud Backup (failing, ok again, ...), kills the
# daemon with SIGKILL as soon as the entry is in the journal, restarts it, probes the phone
# again and counts the entries. ALERT_KILL_ROUNDS (default 3) rounds.
# Usage (inside journal-ns.sh): backupd_alert_kill.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
ROUNDS=${ALERT_KILL_ROUNDS:-3}

start_sim healthy
write_config "[Probe]
PollInterval=1h"
start_daemon
U=$(udid_of healthy)
ID=$(msgid precondition.backup_enabled)
wait_for 10 ctl status "$U" || fail "healthy device is not ready after start"
failing=0 ok=0 round=1
while [ $round -le "$ROUNDS" ]; do
	if [ $((round % 2)) -eq 1 ]; then
		sim set "$U" com.apple.mobile.backup CloudBackupEnabled false
		state=failing failing=$((failing + 1)) want=$failing
	else
		sim set "$U" com.apple.mobile.backup CloudBackupEnabled true
		state=ok ok=$((ok + 1)) want=$ok
	fi
	ctl refresh "$U" >/dev/null || true
	expect_entries "$want" MESSAGE_ID="$ID" DEVICE_UDID="$U" STATE=$state
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
	rm -f "$WORK/control"
	start_daemon
	ctl refresh "$U" >/dev/null || true # the new attachment's first probe has been judged
	sleep 0.5                           # the journal writer's queue has reached journald
	n=$(journal_count MESSAGE_ID="$ID" DEVICE_UDID="$U" STATE=$state)
	[ "$n" = "$want" ] || fail "round $round: $n $state entries after kill -9 and restart, want $want"
	round=$((round + 1))
done
echo "ok - $ROUNDS kill -9 right after an alert entry: none repeated after the restart"
