#!/bin/sh
# SPDX-License-Identifier: ISC
# Apple's status feed through the daemon: one fleet-wide journal entry per transition of
# icloud_service, the blocker on every device, the unreachable warning and its recovery, the
# last good state kept, and backupctl served while the feed server hangs.
# Usage (inside journal-ns.sh): backupd_feed.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
FIX="$SRC/tests/fixtures/status-feed"

. "$SRC/tests/integration/feed_lib.sh"
start_feed_server
trap 'status=$?; kill "$FEED_PID" 2>/dev/null || true; cleanup $status' EXIT INT TERM

feed serve "$FIX/healthy.json"
start_sim healthy backup-off
write_config "[StatusFeed]
UnreachableAlertAfter=0"
start_daemon
H=$(udid_of healthy)
SVC=$(msgid precondition.icloud_service)
UNR=$(msgid fleet.status_feed_unreachable)
repoll() { kill -HUP "$DAEMON_PID"; }

wait_for 10 ctl feed || fail "feed not operational at start"
ctl --json feed | grep -q '"state": *"operational"' || fail "feed state not operational"
wait_for 10 ctl status "$H" || fail "healthy device not ready"
echo "ok - operational feed, device ready"

feed serve "$FIX/backup-outage-jsonp.js"
repoll
expect_entries 1 MESSAGE_ID="$SVC" STATE=failing PRIORITY=4 STATUS_TYPE=Outage '!DEVICE_UDID'
ctl status "$H" >"$WORK/out" && fail "device ready during an Apple outage"
grep -q apple-outage "$WORK/out" || fail "no apple-outage blocker: $(cat "$WORK/out")"
ctl feed >"$WORK/out" && fail "backupctl feed exit 0 during an outage"
grep -q "Outage" "$WORK/out" || fail "backupctl feed does not show the outage: $(cat "$WORK/out")"
echo "ok - one fleet-wide entry; every device blocked; backupctl feed shows the event"

# The server hangs: the loop keeps answering backupctl at once.
feed hang
repoll
for i in 1 2 3 4 5; do
	start=$(date +%s%N)
	ctl status >/dev/null 2>&1 || [ $? -eq 1 ] || fail "backupctl failed while the feed hangs"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -le 1000 ] || fail "backupctl took $ms ms while the feed hangs"
	sleep 0.2
done
echo "ok - backupctl answers while the feed server hangs"

# Errors: unreachable, one warning, the last good state (the outage) is kept.
feed 500
repoll
expect_entries 1 MESSAGE_ID="$UNR" PRIORITY=4
ctl --json feed >"$WORK/out" || true
grep -q '"unreachable": *true' "$WORK/out" || fail "feed not unreachable after a 500"
grep -q '"state": *"event"' "$WORK/out" || fail "last good state not kept: $(cat "$WORK/out")"
expect_entries 0 MESSAGE_ID="$SVC" STATE=ok
feed serve "$FIX/truncated.json"
repoll
sleep 1
expect_entries 1 MESSAGE_ID="$UNR" PRIORITY=4
echo "ok - broken feed: one unreachable warning, last good state kept"

feed serve "$FIX/healthy.json"
repoll
expect_entries 1 MESSAGE_ID="$SVC" STATE=ok PRIORITY=5
expect_entries 1 MESSAGE_ID="$UNR" PRIORITY=5
wait_for 10 ctl status "$H" || fail "device not ready after the outage ended"
echo "ok - recovery: one entry for the service, one for the feed"

exec 3>&-
kill "$FEED_PID" 2>/dev/null || true
