#!/bin/sh
# SPDX-License-Identifier: ISC
# Verdicts never claim more than backupd observed (issue 10):
#   - a phone re-attached after it backed up while detached is judged by its new probe, not by
#     the old attachment's facts: no backup_recent failure (MaxBackupAge=1min, AlertHoldoff=1h);
#   - the same after a restart long after the state was written;
#   - readiness is unknown while nothing is observed (helpers that cannot start);
#   - a phone detached longer than ForgetAfter is forgotten at start: one journal entry, gone
#     from status and from the state file.
# Usage (inside journal-ns.sh): BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

APPLE_EPOCH=978307200 # 2001-01-01, LastCloudBackupDate's origin
RECENT=$(msgid precondition.backup_recent)
H=$(udid_of healthy)
backed_up_ago() { # SECONDS : the simulated phone's last iCloud backup, that long ago
	sim set "$H" com.apple.mobile.backup LastCloudBackupDate $(($(date +%s) - $1 - APPLE_EPOCH))
}
json_field() { # FIELD : from `backupctl --json status $H` (device 0)
	ctl --json status "$H" | python3 -c "import json,sys; print(json.load(sys.stdin)['devices'][0]['$1'])"
}
# Probed in this attachment, and its backup date read: what "ready" must rest on (checked
# apart from the exit status, so the test also holds where readiness is not trusted).
probed_ok() {
	[ "$(json_field probe_status)" = ok ] && [ "$(json_field last_backup)" != None ] &&
		ctl status "$H"
}

write_config "[Probe]
PollInterval=1h
[Rules]
MaxBackupAge=1min
[Alerts]
AlertHoldoff=1h"

# ---- re-attach after a backup made while detached ----
start_sim healthy
backed_up_ago 45
t0=$(date +%s)
start_daemon
wait_for 10 probed_ok || fail "healthy phone not probed and ready"
[ $(($(date +%s) - t0)) -lt 12 ] || fail "too slow to reach ready before the backup aged (test timing)"
sim detach "$H"
wait_for 5 sh -c "[ \"\$($BACKUPCTL --socket $WORK/control --json status $H | grep -c '\"attached\": false')\" = 1 ]" ||
	fail "detach not seen"
# the remembered backup is now older than MaxBackupAge; the phone backs up, then comes back
while [ $(($(date +%s) - t0)) -lt 17 ]; do sleep 0.2; done
backed_up_ago 5
sim attach "$H"
wait_for 10 probed_ok || fail "re-attached phone not ready"
sleep 0.5
expect_entries 0 MESSAGE_ID="$RECENT" DEVICE_UDID="$H"
echo "ok - re-attach after a backup: no backup_recent failure from the old attachment"

# ---- restart after a long gap ----
stop_daemon
# As if backupd had been stopped for 2 h: everything it stored is 2 h older, so the stored
# backup date is past MaxBackupAge; the phone itself backed up meanwhile (5 s ago).
python3 - "$WORK/state/state.json" <<'PY'
import json, sys
path = sys.argv[1]
doc = json.load(open(path))
gap = 7200
doc["saved_at"] -= gap
for d in doc["devices"]:
    for key in ("first_seen", "last_seen"):
        d[key] -= gap
    for key in ("last_backup", "probed_at"):
        if isinstance(d["facts"].get(key), int):
            d["facts"][key] -= gap
json.dump(doc, open(path, "w"))
PY
backed_up_ago 5
start_daemon
wait_for 10 probed_ok || fail "phone not ready after restart"
sleep 0.5
expect_entries 0 MESSAGE_ID="$RECENT" DEVICE_UDID="$H"
echo "ok - restart after a long gap: no backup_recent failure from stored facts"

# ---- the journal says which: READINESS= on every verdict entry ----
OFF=$(msgid precondition.backup_enabled)
sim set "$H" com.apple.mobile.backup CloudBackupEnabled false
ctl refresh "$H" >/dev/null || true
expect_entries 1 MESSAGE_ID="$OFF" DEVICE_UDID="$H" STATE=failing READINESS=not_ready
sim set "$H" com.apple.mobile.backup CloudBackupEnabled true
echo "ok - a failing entry carries READINESS=not_ready"

# ---- forgetting: detached longer than ForgetAfter (default 28 d), or beyond MaxRemembered ----
stop_daemon
GONE=0000F0E7-00000000000000AB   # detached 29 days ago: past ForgetAfter
SPARE=0000F0E7-00000000000000AC  # detached a day ago: one phone too many for MaxRemembered=1
python3 "$SRC/tests/integration/state_add_detached.py" "$WORK/state/state.json" "$GONE:29" "$SPARE:1"
write_config "[Probe]
PollInterval=1h
[Rules]
MaxBackupAge=1min
[Alerts]
AlertHoldoff=1h
[Daemon]
MaxRemembered=1"
FORGOT=$(msgid device.forgotten)
start_daemon
expect_entries 1 MESSAGE_ID="$FORGOT" DEVICE_UDID="$GONE"
expect_entries 1 MESSAGE_ID="$FORGOT" DEVICE_UDID="$SPARE"
for u in "$GONE" "$SPARE"; do
	set +e
	ctl status "$u" >/dev/null 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || fail "forgotten phone $u still in status (exit $rc)"
done
wait_for 10 ctl status "$H" || fail "the attached phone was forgotten too"
stop_daemon
grep -q "0000F0E7" "$WORK/state/state.json" && fail "a forgotten phone is still in the state file"
expect_entries 1 MESSAGE_ID="$FORGOT" DEVICE_UDID="$GONE"
echo "ok - past ForgetAfter and beyond MaxRemembered: forgotten, one entry each, gone from status and state"

# ---- nothing observed: helpers that cannot start ----
export BACKUPD_HELPER_EXE=/nonexistent
start_daemon
sleep 1
set +e
ctl status >"$WORK/out"
rc=$?
set -e
[ $rc -eq 1 ] || fail "status exits $rc with no probe possible, want 1"
grep -q "^Sim healthy .* unknown " "$WORK/out" || fail "READY is not unknown: $(cat "$WORK/out")"
[ "$(json_field readiness)" = unknown ] || fail "readiness is not unknown"
[ "$(json_field ready)" = False ] || fail "\"ready\" is not false"
unset BACKUPD_HELPER_EXE
echo "ok - nothing observed: READY unknown, exit 1"
