#!/bin/sh
# SPDX-License-Identifier: ISC
# Probe helpers that cannot start (a missing binary) or die at once (a binary that exits): one
# journal entry with the reason, the status summary says so and exits non-zero, and the pool
# retries with back-off instead of every 250 ms (issue 10: ~16 spawns a second, no word).
# A helper that started (said hello) and then crashed on one phone is that phone's problem:
# its error names the signal, and the pool neither announces nor backs off.
# Usage (inside journal-ns.sh): backupd_helpers_fail.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

HELPERS=$(msgid fleet.probe_helpers_failing)
[ -n "$HELPERS" ] || fail "no MESSAGE_ID fleet.probe_helpers_failing"
start_sim healthy backup-off
write_config ""

# 1. A helper binary that does not exist.
BACKUPD_HELPER_EXE=/nonexistent/backupd-helper start_daemon
sleep 5
expect_entries 1 MESSAGE_ID="$HELPERS" STATE=failing PRIORITY=3 REASON~"No such file"
set +e
ctl status >"$WORK/status.txt"
rc=$?
set -e
[ $rc -ne 0 ] || fail "backupctl status exits 0 while no helper can start"
grep -q "Probe helpers cannot start: /nonexistent/backupd-helper: No such file" \
	"$WORK/status.txt" || fail "status summary does not say helpers cannot start: $(cat "$WORK/status.txt")"
set +e
ctl check >"$WORK/check.txt"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "^BACKUPD CRITICAL - probe helpers cannot start" "$WORK/check.txt" ||
	fail "backupctl check while no helper can start: exit $rc: $(cat "$WORK/check.txt")"
ctl status --json >"$WORK/status.json" || true
attempts=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["probe_helpers"]
assert h["failing"] is True, h
print(h["spawn_attempts"])' "$WORK/status.json") || fail "no probe_helpers in --json"
# back-off 0.25, 0.5, 1, 2, 4 s: at most 6 attempts in the first 5 s (was ~80)
[ "$attempts" -ge 2 ] && [ "$attempts" -le 7 ] ||
	fail "$attempts spawn attempts in 5 s: want 2..7 (back-off)"
for u in "$(udid_of healthy)" "$(udid_of backup-off)"; do
	python3 -c 'import json,sys
d=[d for d in json.load(open(sys.argv[1]))["devices"] if d["udid"]==sys.argv[2]][0]
assert d["probe_status"] == "not_yet", d' "$WORK/status.json" "$u" ||
		fail "$u: was probed although no helper runs"
done
echo "ok - missing helper: one journal entry, status says so, $attempts spawn attempts in 5 s"
stop_daemon

# 2. A helper that exits at once: every start is counted in a file.
cat >"$WORK/dies.sh" <<EOS
#!/bin/sh
echo start >>"$WORK/spawns"
exit 3
EOS
chmod +x "$WORK/dies.sh"
: >"$WORK/spawns"
BACKUPD_HELPER_EXE="$WORK/dies.sh" start_daemon
sleep 5
spawns=$(wc -l <"$WORK/spawns")
[ "$spawns" -ge 2 ] && [ "$spawns" -le 7 ] || fail "$spawns helper starts in 5 s: want 2..7"
expect_entries 1 MESSAGE_ID="$HELPERS" STATE=failing REASON~"dies.sh exited with status 3 before it started"
echo "ok - helper dying at once: $spawns starts in 5 s, one more journal entry"

# 3. The binary appears (an upgrade finished): the next retry starts it, one recovery entry.
stop_daemon
BACKUPD_HELPER_EXE="$WORK/helper" start_daemon
expect_entries 3 MESSAGE_ID="$HELPERS" STATE=failing
ln -s "$BACKUPD" "$WORK/helper"
wait_for 20 ctl status "$(udid_of healthy)" || fail "healthy device not ready once the helper exists"
expect_entries 1 MESSAGE_ID="$HELPERS" STATE=ok PRIORITY=5
expect_entries 3 MESSAGE_ID="$HELPERS" STATE=failing
echo "ok - helper back: one recovery entry, phones probed"

# 4. A phone that crashes its helper (SIGSEGV) after the helper said hello: the phone's error
#    names the signal; the helpers are not "unable to start" and the other phone is read.
stop_daemon
export CRASH_UDID="$(udid_of backup-off)" CRASH_REAL_HELPER="$BACKUPD"
BACKUPD_HELPER_EXE="$SRC/tests/integration/crashing_helper.py" start_daemon
wait_for 20 ctl status "$(udid_of healthy)" || fail "healthy phone not read next to a crashing one"
sleep 3 # several crashes of the bad phone's helper
ctl status --json >"$WORK/status.json" || true
python3 -c 'import json,sys
s=json.load(open(sys.argv[1]))
assert s["probe_helpers"]["failing"] is False, s["probe_helpers"]
d=[d for d in s["devices"] if d["udid"]==sys.argv[2]][0]
assert "killed by signal 11" in d["probe_error"], d["probe_error"]' "$WORK/status.json" "$CRASH_UDID" ||
	fail "crashing phone: $(cat "$WORK/status.json")"
expect_entries 3 MESSAGE_ID="$HELPERS" STATE=failing
echo "ok - a phone that crashes its helper: signal 11 in its error, pool not failing, no entry"
