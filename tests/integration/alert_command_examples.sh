#!/bin/sh
# SPDX-License-Identifier: ISC
# The shipped example alert commands with an alert as backupd passes it: mail-sendmail hands
# sendmail -t a mail with the phone, the reason and the fix (a device name's newline cannot
# break the header); chat-webhook POSTs {"text": ..., "backupd": <the alert's JSON>} to a
# loopback receiver. Usage: alert_command_examples.sh SRC
set -eu
SRC=$1
WORK=$(mktemp -d /tmp/backupd-examples.XXXXXX)
RECEIVER=""
trap '[ -n "$RECEIVER" ] && kill "$RECEIVER" 2>/dev/null; rm -rf "$WORK"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

alert_env() {
	env -i PATH=/usr/bin:/bin HOME="$WORK" BACKUPD_EVENT=failing \
		BACKUPD_UDID=00008030-001A2B3C4D5E6F70 "BACKUPD_NAME=Cart 3 #12
Subject: spoofed" BACKUPD_PRODUCT_TYPE=iPhone14,5 BACKUPD_IOS_VERSION=17.5.1 \
		BACKUPD_PRECONDITION=backup_enabled BACKUPD_STATE=failing \
		"BACKUPD_REASON=iCloud Backup is off" "BACKUPD_FIX=Turn on iCloud Backup in Settings" \
		"BACKUPD_MESSAGE=Cart 3 #12: backup_enabled failing: iCloud Backup is off" \
		BACKUPD_MESSAGE_ID=85699e7a22984e0688ac183384953538 BACKUPD_HOST=cart3 \
		BACKUPD_TIME=2026-12-01T18:00:00Z BACKUPD_DROPPED_BEFORE=2 "$@"
}
json='{"event":"failing","udid":"00008030-001A2B3C4D5E6F70","precondition":"backup_enabled"}'

# mail-sendmail, with a sendmail that keeps what it is given
printf '#!/bin/sh\necho "$@" >"%s/args"\ncat >"%s/mail"\n' "$WORK" "$WORK" >"$WORK/sendmail"
chmod +x "$WORK/sendmail"
echo "$json" | alert_env SENDMAIL="$WORK/sendmail" BACKUPD_MAIL_TO=it@example.org \
	sh "$SRC/conf/alert-commands/mail-sendmail" || fail "mail-sendmail exited non-zero"
grep -qx -- "-t -oi" "$WORK/args" || fail "sendmail not called with -t -oi"
grep -qx "To: it@example.org" "$WORK/mail" || fail "no To: header"
grep -qx "Subject: \[backupd cart3\] Cart 3 #12 Subject: spoofed: backup_enabled not ready" \
	"$WORK/mail" || { cat "$WORK/mail" >&2; fail "Subject: wrong"; }
[ "$(sed '/^$/q' "$WORK/mail" | grep -c '^Subject:')" -eq 1 ] || fail "a device name added a header"
grep -qx "What to do: Turn on iCloud Backup in Settings" "$WORK/mail" || fail "no fix text"
grep -q "2 more alerts were dropped" "$WORK/mail" || fail "drops not said"
echo "$json" | env -i PATH=/usr/bin:/bin BACKUPD_EVENT=forgotten BACKUPD_NAME=Loaner \
	"BACKUPD_REASON=detached for 29 d, ForgetAfter is 28 d" BACKUPD_HOST=cart3 \
	SENDMAIL="$WORK/sendmail" sh "$SRC/conf/alert-commands/mail-sendmail" ||
	fail "mail-sendmail exited non-zero for a forgotten phone"
grep -qx "Subject: \[backupd cart3\] Loaner: forgotten" "$WORK/mail" &&
	grep -qx "Reason:       detached for 29 d, ForgetAfter is 28 d" "$WORK/mail" ||
	{ cat "$WORK/mail" >&2; fail "forgotten phone's mail wrong"; }
echo "ok - mail-sendmail"

# chat-webhook, to a receiver on loopback
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(sys.argv[1] + "/posted", "wb").write(body)
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + "/port", "w").write(str(s.server_port))
s.handle_request()' "$WORK" &
RECEIVER=$!
i=0
while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
echo "$json" | alert_env BACKUPD_WEBHOOK_URL="http://127.0.0.1:$(cat "$WORK/port")/hook" \
	sh "$SRC/conf/alert-commands/chat-webhook" >/dev/null || fail "chat-webhook exited non-zero"
wait "$RECEIVER" || true
RECEIVER=""
python3 - "$WORK/posted" <<'PY' || fail "webhook body wrong"
import json, sys
body = json.load(open(sys.argv[1]))
assert body["text"].startswith("cart3: Cart 3 #12: backup_enabled failing"), body["text"]
assert "Turn on iCloud Backup" in body["text"] and "2 earlier alerts dropped" in body["text"]
assert body["backupd"]["udid"] == "00008030-001A2B3C4D5E6F70"
PY
echo "ok - chat-webhook"
