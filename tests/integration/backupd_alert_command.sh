#!/bin/sh
# SPDX-License-Identifier: ISC
# [Alerts] AlertCommand: a transition runs the command with the alert in BACKUPD_* variables
# and as JSON on stdin; a failing command's exit status and stderr reach the journal; a hung
# one is killed with its process group after AlertCommandTimeout; a burst into a tiny queue
# drops, counts and says so. Usage (inside journal-ns.sh): backupd_alert_command.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

. "$SRC/tests/integration/alert_command_lib.sh"
install_recorder

runs() { find "$WORK/runs" -name '*.env' | wc -l; }
# run_env PRECONDITION STATE: the newest run's env file for that alert
run_env() {
	grep -l "^BACKUPD_PRECONDITION=$1\$" "$WORK"/runs/*.env 2>/dev/null |
		xargs -r grep -l "^BACKUPD_STATE=$2\$" | sort | tail -n 1
}

start_sim healthy
write_config "[Alerts]
AlertCommand=$WORK/cmd.sh
AlertCommandTimeout=1s"
start_daemon
U=$(udid_of healthy)
wait_for 10 ctl status "$U" || fail "healthy device is not ready after start"
[ "$(runs)" -eq 0 ] || fail "a healthy phone's attach ran the alert command"

# 1. A transition: the command sees what the journal got.
sim set "$U" com.apple.mobile.backup CloudBackupEnabled false
ctl refresh "$U" >/dev/null || true
wait_for 10 sh -c "grep -qlx BACKUPD_PRECONDITION=backup_enabled $WORK/runs/*.env" ||
	fail "no alert command run for backup_enabled"
env_file=$(run_env backup_enabled failing)
json_file=${env_file%.env}.json
id=$(msgid precondition.backup_enabled)
for want in "BACKUPD_UDID=$U" "BACKUPD_NAME=Sim healthy" "BACKUPD_PRECONDITION=backup_enabled" \
	"BACKUPD_STATE=failing" "BACKUPD_EVENT=failing" "BACKUPD_MESSAGE_ID=$id" \
	"BACKUPD_HOST=$(hostname)" "BACKUPD_PRODUCT_TYPE=iPhone15,2" "BACKUPD_REPEAT=0" \
	"BACKUPD_DROPPED_BEFORE=0" "BACKUPD_PRIORITY=warning"; do
	grep -qxF "$want" "$env_file" || { cat "$env_file" >&2; fail "alert command env lacks $want"; }
done
for key in BACKUPD_REASON BACKUPD_FIX BACKUPD_MESSAGE BACKUPD_TIME BACKUPD_TIME_EPOCH \
	BACKUPD_FAILING_SINCE_EPOCH; do
	grep -q "^$key=." "$env_file" || { cat "$env_file" >&2; fail "alert command env lacks $key"; }
done
# The journal entry of the transition and the command's view agree.
expect_entries 1 MESSAGE_ID="$id" STATE=failing DEVICE_UDID="$U"
reason=$(journalctl --no-pager -o json MESSAGE_ID="$id" |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["REASON"])')
grep -qxF "BACKUPD_REASON=$reason" "$env_file" ||
	fail "BACKUPD_REASON differs from the journal's REASON ($reason)"
# stdin: one JSON object whose fields are the variables, lower case
python3 "$SRC/tests/integration/alert_command_json.py" "$env_file" "$json_file" ||
	fail "stdin JSON does not match the environment"
expect_entries 1 ALERT_COMMAND_RESULT=ok ALERT_COMMAND_EXIT=0 "MESSAGE~backup_enabled failing"
echo "ok - a transition runs the alert command with the alert in env and JSON"

# 2. A failing command: exit status and stderr in the journal.
touch "$WORK/mode.fail"
sim set "$U" com.apple.mobile.backup CloudBackupEnabled true
ctl refresh "$U" >/dev/null || true
expect_entries 1 ALERT_COMMAND_RESULT=failed ALERT_COMMAND_EXIT=3 PRIORITY=4 \
	"ALERT_COMMAND_STDERR~smtp: connection refused by mail.example.org" \
	"MESSAGE~exit status 3" "MESSAGE~backup_enabled ok again"
env_file=$(run_env backup_enabled ok)
grep -qxF "BACKUPD_EVENT=recovered" "$env_file" || fail "recovery not told as recovered"
rm "$WORK/mode.fail"
echo "ok - a failing command's exit status and stderr reach the journal"

# 3. A hung command: killed with its group after AlertCommandTimeout, and the loop answers.
touch "$WORK/mode.hang"
sim wifi "$U" -
ctl refresh "$U" >/dev/null || true
wait_for 10 test -s "$WORK/hung.pid" || fail "hung command did not start"
start=$(date +%s%N)
ctl status >/dev/null || true
ms=$((($(date +%s%N) - start) / 1000000))
[ "$ms" -lt 1000 ] || fail "backupctl status took $ms ms while the command hung"
expect_entries 1 ALERT_COMMAND_RESULT=timeout ALERT_COMMAND_SIGNAL=9 PRIORITY=4 \
	"MESSAGE~AlertCommandTimeout=1000ms" "MESSAGE~wifi failing"
hung=$(cat "$WORK/hung.pid")
wait_for 5 sh -c "! kill -0 $hung 2>/dev/null" ||
	fail "the hung command's child survived the kill of its process group"
rm "$WORK/mode.hang"
echo "ok - a hung command is killed with its process group after the timeout (status: $ms ms)"

# 4. A burst into a tiny queue: one runs (hung), one waits, the rest are dropped and said.
sed -i "s|^AlertCommandTimeout=1s|AlertCommandTimeout=2s\nAlertCommandQueue=1\nAlertCommandJobs=1|" \
	"$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"
expect_entries 1 "MESSAGE=configuration reloaded"
touch "$WORK/mode.hang"
rm -f "$WORK/hung.pid"
sim wifi "$U" SchoolNet
ctl refresh "$U" >/dev/null || true # wifi ok again: runs, hangs
wait_for 10 test -s "$WORK/hung.pid" || fail "burst: first command did not start"
for step in 1 2 3; do
	sim set "$U" com.apple.mobile.backup CloudBackupEnabled false
	ctl refresh "$U" >/dev/null || true
	sim set "$U" com.apple.mobile.backup CloudBackupEnabled true
	ctl refresh "$U" >/dev/null || true
done
rm "$WORK/mode.hang"
# 6 transitions while one ran: 1 queued, 5 dropped, said once the queue moved again
expect_entries 8 MESSAGE_ID="$id" DEVICE_UDID="$U"
expect_entries 1 ALERT_COMMAND_DROPPED=5 PRIORITY=4 "MESSAGE~AlertCommandQueue=1 was full"
last=$(run_env backup_enabled ok)
wait_for 10 sh -c "grep -qx BACKUPD_DROPPED_BEFORE=0 $last" || fail "queued event not run"
echo "ok - a burst into a full queue: 5 dropped, counted and said"

# 5. A forgotten phone (ForgetAfter, MaxRemembered): the command gets the journal's entry.
stop_daemon
GONE=0000F0E7-00000000000000AB  # detached 29 days ago: past ForgetAfter (28d)
SPARE=0000F0E7-00000000000000AC # detached a day ago: one phone too many for MaxRemembered=1
python3 "$SRC/tests/integration/state_add_detached.py" "$WORK/state/state.json" "$GONE:29" "$SPARE:1"
write_config "[Alerts]
AlertCommand=$WORK/cmd.sh
[Daemon]
MaxRemembered=1"
start_daemon
forgot=$(msgid device.forgotten)
forgotten_run() { # UDID: the env file of the run that told of its forgetting; fails if none
	grep -lx "BACKUPD_UDID=$1" "$WORK"/runs/*.env | xargs -r grep -lx BACKUPD_EVENT=forgotten | grep .
}
for u in "$GONE" "$SPARE"; do
	expect_entries 1 MESSAGE_ID="$forgot" DEVICE_UDID="$u"
	wait_for 10 forgotten_run "$u" || fail "no alert command run for the forgotten phone $u"
	env_file=$(forgotten_run "$u")
	journalctl --no-pager -o json MESSAGE_ID="$forgot" DEVICE_UDID="$u" | python3 -c '
import json, sys
e = json.loads(sys.stdin.readline())
for k in ("MESSAGE_ID", "MESSAGE", "REASON", "DEVICE_NAME", "PRODUCT_TYPE", "IOS_VERSION"):
    print("BACKUPD_%s=%s" % ({"DEVICE_NAME": "NAME"}.get(k, k), e[k]))
print("BACKUPD_PRIORITY=notice")' >"$WORK/forgot.want"
	while IFS= read -r want; do
		grep -qxF "$want" "$env_file" || { cat "$env_file" >&2; fail "forgotten $u: env lacks $want"; }
	done <"$WORK/forgot.want"
	python3 "$SRC/tests/integration/alert_command_json.py" "$env_file" "${env_file%.env}.json" ||
		fail "forgotten $u: stdin JSON does not match the environment"
done
echo "ok - a forgotten phone reaches the alert command with the journal entry's fields"
