#!/bin/sh
# SPDX-License-Identifier: ISC
# A stand-in helper (lying_helper.c) answers probes with every kind of lie: the daemon neither
# crashes nor believes any of them, each lie is a protocol error of the probed phone with a
# clear reason, no other phone is touched, and once real helpers answer each phone's state is
# right and the state file loads after a restart. Issue 10: backup_enabled = 0x40000000
# crashed the daemon, status 99 made the state file unloadable, another phone's udid
# overwrote that phone. Usage (inside journal-ns.sh): backupd_lying_helper.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

H=$(udid_of healthy)
B=$(udid_of backup-off)
start_sim healthy backup-off
write_config ""
export LIAR_LOG="$WORK/lies" LIAR_REAL_HELPER="$BACKUPD" LIAR_UDIDS="$H $B"
n_lies=20
BYTES=$("$BUILD/tests/integration/lying_helper" --reply-size)
BACKUPD_HELPER_EXE="$BUILD/tests/integration/lying_helper" start_daemon

# Every refresh probes both phones; each probe is answered with the next lie.
seen_liar=""
i=0
while [ "$(wc -l <"$WORK/lies" 2>/dev/null || echo 0)" -lt $n_lies ] && [ $i -lt 60 ]; do
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "backupd died after lie: $(tail -n 1 "$WORK/lies")"
	ctl refresh >/dev/null 2>&1 || true
	ctl status --json >"$WORK/during.json" 2>/dev/null || true
	grep -q 'Liar\|iPhone99' "$WORK/during.json" && seen_liar="$(tail -n 1 "$WORK/lies")"
	python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["devices"]: print(d["probe_error"])' "$WORK/during.json" \
		>>"$WORK/reasons" 2>/dev/null || true
	i=$((i + 1))
done
[ "$(wc -l <"$WORK/lies")" -eq $n_lies ] || fail "only $(wc -l <"$WORK/lies") of $n_lies lies told"
[ -z "$seen_liar" ] || fail "backupd believed a lie (status showed it after: $seen_liar)"
kill -0 "$DAEMON_PID" || fail "backupd died"
echo "ok - $n_lies lies told, backupd alive and believed none"

# Each lie was taken as a protocol error with its reason.
PROTO=$(msgid unreachable.protocol_error)
[ "$(journal_count MESSAGE_ID="$PROTO" REASON~"probe helper sent an invalid reply")" -ge 1 ] ||
	fail "no protocol_error entry names an invalid reply"
# The journal names each lie (one warning per invalid reply, and the status showed them).
journalctl --sync 2>/dev/null || true
journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd >>"$WORK/reasons" 2>/dev/null || true
for reason in "backup_enabled 1073741824" "status 99" "status 0" "password_protected 3" \
	"wifi_associated 4294967295" "udid of another phone" "name not terminated" \
	"error not terminated" "last backup date 9223372036854775807" \
	"last backup date -9223372036854775808" "last backup date 12345" "battery 250" \
	"data capacity -5" "data available 9223372036854775807" "has_last_backup 7" \
	"magic 0x42505730" "seq " "reply of 12 bytes" "reply of $((BYTES + 16)) bytes"; do
	grep -qF "probe helper sent an invalid reply ($reason" "$WORK/reasons" ||
		fail "no probe failure said: invalid reply ($reason ...); seen: $(sort -u "$WORK/reasons")"
done

# Real helpers now: each phone's state is its own and right, and probes finish.
out=$(ctl refresh --json) || true
echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin)
assert r["refreshed"] == 2 and r["timed_out"] == 0, r' ||
	fail "refresh after the lies: $out"
wait_for 10 ctl status "$H" || fail "healthy phone not ready after the lies"
ctl status --json >"$WORK/after.json" || true
python3 - "$WORK/after.json" "$H" "$B" <<'PY' || fail "wrong state after the lies: $(cat "$WORK/after.json")"
import json, sys
reply = json.load(open(sys.argv[1]))
devices = {d["udid"]: d for d in reply["devices"]}
assert set(devices) == {sys.argv[2], sys.argv[3]}, devices.keys()
h, b = devices[sys.argv[2]], devices[sys.argv[3]]
assert h["probe_status"] == "ok" and b["probe_status"] == "ok", (h, b)
assert h["name"] == "Sim healthy", h
assert b["name"] != "Sim healthy" and "Liar" not in b["name"], b
assert h["ready"] is True and b["ready"] is False and "backup-off" in b["blockers"], (h, b)
PY
echo "ok - after the lies each phone is probed and right"

# The state file holds nothing a lie put there and loads after a restart.
stop_daemon
grep -q 'Liar\|iPhone99\|invalid"' "$WORK/state/state.json" && fail "a lie reached state.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/state/state.json" ||
	fail "state.json is not JSON"
OFF=$(msgid precondition.backup_enabled)
before=$(journal_count MESSAGE_ID="$OFF" DEVICE_UDID="$B" STATE=failing)
start_daemon
wait_for 10 ctl status "$H" || fail "healthy phone not ready after restart"
ls "$WORK/state" | grep -q 'corrupt' && fail "state file set aside after the lies"
ctl refresh "$B" >/dev/null || true
sleep 1
expect_entries "$before" MESSAGE_ID="$OFF" DEVICE_UDID="$B" STATE=failing
echo "ok - state file loads after restart, alert memory kept"
