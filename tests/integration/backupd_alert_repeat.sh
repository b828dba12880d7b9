#!/bin/sh
# SPDX-License-Identifier: ISC
# AlertRepeat through the daemon with a moved clock (BACKUPD_CLOCK_OFFSET_FILE): a phone still
# failing is told to the alert command again after a day (daily), not again before, not again
# after a restart (the repeat memory is in the state file), never with once, and after
# 1, 2, 4 days with diminishing; the journal gets no repeat entries.
# Usage (inside journal-ns.sh): backupd_alert_repeat.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

. "$SRC/tests/integration/alert_command_lib.sh"
install_recorder
export BACKUPD_CLOCK_OFFSET_FILE="$WORK/offset"
echo 0 >"$WORK/offset"
DAY=86400

# told KIND: runs of the command for backup_enabled with BACKUPD_EVENT=KIND
told() {
	grep -lx "BACKUPD_PRECONDITION=backup_enabled" "$WORK"/runs/*.env 2>/dev/null |
		xargs -r grep -lx "BACKUPD_EVENT=$1" | wc -l
}
# at SECONDS: move the clock to SECONDS after the start and let the phone be judged again
at() {
	echo "$1" >"$WORK/offset"
	sleep 1.1 # backupd re-reads the offset at most once a second
	ctl refresh "$U" >/dev/null || true
}
# expect_told KIND N: waits up to 5 s for exactly N such runs, then checks they stay N
expect_told() {
	wait_for 5 sh -c "[ \$(grep -lx BACKUPD_PRECONDITION=backup_enabled $WORK/runs/*.env 2>/dev/null |
		xargs -r grep -lx BACKUPD_EVENT=$1 | wc -l) -ge $2 ]" || true
	sleep 0.3
	[ "$(told "$1")" -eq "$2" ] || fail "alert command told '$1' $(told "$1") times, want $2"
}
set_repeat() {
	sed -i "s/^AlertRepeat=.*/AlertRepeat=$1/" "$WORK/backupd.conf"
	n=$(journal_count "MESSAGE=configuration reloaded")
	kill -HUP "$DAEMON_PID"
	expect_entries $((n + 1)) "MESSAGE=configuration reloaded"
}

start_sim backup-off
write_config "[Alerts]
AlertCommand=$WORK/cmd.sh
AlertRepeat=daily"
start_daemon
U=$(udid_of backup-off)
expect_told failing 1
at 3600
expect_told repeat 0
at $((DAY + 60))
expect_told repeat 1
last=$(grep -lx "BACKUPD_EVENT=repeat" "$WORK"/runs/*.env | sort | tail -n 1)
grep -qx "BACKUPD_REPEAT=1" "$last" || fail "first repeat not numbered 1"
grep -q "^BACKUPD_NEXT_REPEAT_EPOCH=" "$last" || fail "repeat without its next time"
at $((DAY + 3600))
expect_told repeat 1
expect_entries 1 MESSAGE_ID="$(msgid precondition.backup_enabled)" DEVICE_UDID="$U"
echo "ok - daily: told again after a day, not before, and the journal gets no repeat"

stop_daemon
start_daemon
at $((DAY + 7200))
expect_told repeat 1
expect_told failing 1
echo "ok - a restart keeps the repeat memory (no early repeat, no new failure)"

at $((2 * DAY + 120))
expect_told repeat 2
set_repeat once
at $((5 * DAY))
expect_told repeat 2
echo "ok - once: not told again"

# diminishing: the last repeat was at 2 days after 2 repeats, so the next is 4 days later
set_repeat diminishing
at $((5 * DAY + 60))
expect_told repeat 2
at $((6 * DAY + 300))
expect_told repeat 3
echo "ok - diminishing: the next repeat waits 4 days after the second"
