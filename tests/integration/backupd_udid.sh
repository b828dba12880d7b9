#!/bin/sh
# SPDX-License-Identifier: ISC
# A USB gadget may present any serial to usbmuxd. Two "phones" whose serials hold a newline,
# terminal escapes, a space or too many characters are ignored where they enter (hotplug): no
# row in backupctl status, nothing of them in the state file, one cleaned warning for both
# (rate-limited), no raw control byte in the journal; a real phone next to them is read.
# Usage (inside journal-ns.sh): backupd_udid.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

mkdir -p "$WORK/prof"
bad_profile() { # N SERIAL(XML text)
	sed "s|<string>00008120-001A2B3C4D5E6F01</string>|<string>$2</string>|" \
		"$PROFILES/healthy.plist" >"$WORK/prof/bad$1.plist"
}
bad_profile 1 'X\&#10;Cart 3 spoof yes\&#27;[2J'
bad_profile 2 '0123456789abcdef0123456789abcdef0123456789'
cp "$PROFILES/backup-off.plist" "$WORK/prof/"
PROFILES=$WORK/prof start_sim bad1 bad2 backup-off
write_config ""
start_daemon
GOOD=$(PROFILES=$WORK/prof udid_of backup-off)
probed() { # the real phone has been read (it is not ready: backup is off)
	{ ctl status --json "$GOOD" 2>/dev/null || true; } | python3 -c 'import json,sys
sys.exit(json.load(sys.stdin)["devices"][0]["probe_status"] != "ok")'
}
wait_for 15 probed || fail "the real phone is not read"
ctl status --json >"$WORK/status.json" || true
python3 -c 'import json,sys
u=[d["udid"] for d in json.load(open(sys.argv[1]))["devices"]]
assert u == [sys.argv[2]], u' "$WORK/status.json" "$GOOD" || fail "devices: $(cat "$WORK/status.json")"
echo "ok - only the real phone is listed"

journalctl --sync
journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd >"$WORK/journal.txt"
n=$(grep -c "serial is not a UDID" "$WORK/journal.txt" || true)
[ "$n" = 1 ] || fail "$n warnings about bad serials, want 1 (rate-limited): $(cat "$WORK/journal.txt")"
grep -F 'serial is not a UDID ([0-9A-Za-z-]{1,40}): "X\nCart 3 spoof yes\033[2J"' \
	"$WORK/journal.txt" >/dev/null || fail "warning not cleaned: $(grep UDID "$WORK/journal.txt" | od -c)"
python3 - "$WORK/journal.txt" <<'PY' || fail "raw control bytes in the journal"
import sys
raw = open(sys.argv[1], "rb").read()
assert not [b for b in raw if (b < 0x20 and b != 0x0a) or b == 0x7f]
PY
echo "ok - one cleaned warning for two bad serials"

sleep 6 # a state write
stop_daemon
! grep -l "spoof\|0123456789abcdef0123456789abcdef0123456789" "$WORK"/state/* >/dev/null 2>&1 ||
	fail "a bad serial reached the state file"
echo "ok - nothing of them in the state file"
