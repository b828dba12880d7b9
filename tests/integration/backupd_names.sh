#!/bin/sh
# SPDX-License-Identifier: ISC
# Device names with a newline, terminal escapes, invalid UTF-8 and 200 bytes of Japanese, as a
# phone sends them (idevice-sim profiles): one row each in backupctl status, no raw control
# byte in its output, --json valid with the names made visible as vis(3) does, and the same
# names kept in state.json. Issue 10: a newline added a fake row, escapes reached the
# terminal, a cut inside a character dropped the name from state.json.
# Usage (inside journal-ns.sh): backupd_names.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"

# name_profile N RAW_NAME_PYTHON_BYTES xml|binary: the healthy profile with another UDID and
# name. Control characters need binary replies (libimobiledevice turns those of XML replies
# into spaces); invalid UTF-8 needs XML ones (libplist's binary writer re-encodes strings).
name_profile() {
	python3 - "$PROFILES/healthy.plist" "$WORK/name$1.plist" "$1" "$2" "$3" <<'PY'
import sys
src, dst, n, name, form = sys.argv[1:6]
data = open(src, "rb").read()
raw = eval(name)  # a bytes literal from the test
raw = raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
data = data.replace(b"<string>Sim healthy</string>", b"<string>" + raw + b"</string>")
data = data.replace(b"00008120-001A2B3C4D5E6F01", ("00008120-0000000000000A0%s" % n).encode())
data = data.replace(b"<key>Root</key>",
                    b"<key>ReplyFormat</key><string>%s</string><key>Root</key>" % form.encode())
open(dst, "wb").write(data)
PY
}
name_profile 1 'b"Cart 3 #12\nCart 3 #13 (spoof)  iPhone15,2  yes"' xml
name_profile 2 'b"Esc\x1b[31mRed\x1b[0m\x07\x7f"' binary
name_profile 3 'b"Bad\xff\xfeUTF8\xc3"' xml
name_profile 4 '"\u65e5".encode() * 66 + b"!!"' binary

rm -f "$WORK/sim.ready"
"$SIM" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" --ready-file "$WORK/sim.ready" \
	--profile "$WORK/name1.plist" --profile "$WORK/name2.plist" \
	--profile "$WORK/name3.plist" --profile "$WORK/name4.plist" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
wait_for 10 test -e "$WORK/sim.ready" || fail "simulator did not start"
write_config ""
start_daemon
probed() {
	ctl status --json "$1" 2>/dev/null | python3 -c 'import json,sys
sys.exit(json.load(sys.stdin)["devices"][0]["probe_status"] != "ok")'
}
for n in 1 2 3 4; do
	wait_for 10 probed "00008120-0000000000000A0$n" || fail "phone $n not probed"
done

ctl status >"$WORK/table.txt" || fail "backupctl status not 0 with four ready phones"
python3 - "$WORK/table.txt" <<'PY' || fail "table: $(od -c "$WORK/table.txt" | head -40)"
import sys
raw = open(sys.argv[1], "rb").read()
bad = [b for b in raw if (b < 0x20 and b != 0x0a) or b == 0x7f]
assert not bad, "raw control bytes in the table: %r" % bad
rows = raw.split(b"\n\n")[0].split(b"\n")
assert len(rows) == 1 + 4, "want a header and 4 rows, got %d: %r" % (len(rows), rows)
PY
cat "$WORK/table.txt"
echo "ok - status: one row each, no raw control byte"

ctl status --json >"$WORK/status.json" || true
cat >"$WORK/expect.py" <<'PY'
import json, sys
want = {
    "1": "Cart 3 #12\\nCart 3 #13 (spoof)  iPhone15,2  yes",
    "2": "Esc\\033[31mRed\\033[0m\\007\\177",
    "3": "Bad\\xff\\xfeUTF8\\xc3",
    "4": "\u65e5" * 21,  # 63 bytes: cut between characters
}
def check(names):
    for n, name in want.items():
        got = names.get("00008120-0000000000000A0" + n)
        assert got == name, "phone %s: name %r, want %r" % (n, got, name)
PY
python3 - "$WORK/status.json" "$WORK/expect.py" <<'PY' || fail "--json names"
import json, sys
exec(open(sys.argv[2]).read())
reply = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
check({d["udid"]: d["name"] for d in reply["devices"]})
PY
echo "ok - --json is valid UTF-8 JSON and holds the names made visible"

stop_daemon
python3 - "$WORK/state/state.json" "$WORK/expect.py" <<'PY' || fail "state.json names: $(cat "$WORK/state/state.json")"
import json, sys
exec(open(sys.argv[2]).read())
state = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
check({d["udid"]: d["facts"]["name"] if "facts" in d else d.get("name") for d in state["devices"]})
PY
echo "ok - state.json keeps each name"
