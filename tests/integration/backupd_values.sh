#!/bin/sh
# SPDX-License-Identifier: ISC
# LastCloudBackupDate in shapes a device may send, through the real library and helper: near
# INT64_MAX (the helper's date arithmetic overflowed; UBSan aborted it) and as a string are
# "not readable" (unknown), never "never backed up"; an integer is read; absent is "never".
# Usage (inside journal-ns.sh): backupd_values.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

start_sim healthy
write_config ""
start_daemon
U=$(udid_of healthy)

# backup_recent STATE REASON: after a refresh, the precondition says this.
backup_recent() {
	ctl refresh "$U" >/dev/null 2>&1 || true
	ctl status --json "$U" >"$WORK/s.json" || true
	python3 - "$WORK/s.json" "$1" "$2" <<'PY'
import json, sys
reply = json.load(open(sys.argv[1]))
d = reply["devices"][0]
assert d["probe_status"] == "ok", d
rows = {p["name"]: p for p in d.get("preconditions", [])}
row = rows.get("backup_recent")
assert row is not None, "no preconditions in the reply: %r" % d
assert row["state"] == sys.argv[2] and sys.argv[3] in row["reason"], row
PY
}
DOMAIN=com.apple.mobile.backup
sim set "$U" $DOMAIN LastCloudBackupDate 9223372036854775000
backup_recent unknown "not readable" || fail "date near INT64_MAX: $(cat "$WORK/s.json")"
echo "ok - LastCloudBackupDate near INT64_MAX: unknown, helper alive"
sim set "$U" $DOMAIN LastCloudBackupDate "yesterday"
backup_recent unknown "not readable" || fail "date as a string: $(cat "$WORK/s.json")"
echo "ok - LastCloudBackupDate as a string: unknown"
sim set "$U" $DOMAIN LastCloudBackupDate $(($(date +%s) - 978307200 - 3600))
backup_recent ok "last backup 1 h ago" || fail "integer date: $(cat "$WORK/s.json")"
echo "ok - LastCloudBackupDate as an integer: read"
sim unset "$U" $DOMAIN LastCloudBackupDate
backup_recent failing "never backed up" || fail "absent date: $(cat "$WORK/s.json")"
echo "ok - LastCloudBackupDate absent: never backed up"
