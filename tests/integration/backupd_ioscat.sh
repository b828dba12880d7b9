#!/bin/sh
# SPDX-License-Identifier: ISC
# iOS currency through the daemon: the catalog served over loopback HTTP, phones of several
# models and versions, each phone's ios_current verdict in backupctl --json, the failing one's
# journal entry and blocker; a truncated, a 50 MB and a vanished catalog each keep the last
# good verdicts, say so once in the journal, and never stall backupctl; a restart with the
# server gone judges by the catalog cached in StateDirectory; a corrupt cache is set aside.
# Usage (inside journal-ns.sh): backupd_ioscat.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/ioscat_lib.sh"
FIX="$SRC/tests/fixtures/ios-catalog"

mkdir -p "$WORK/www"
# The newest release came out 15 days ago: past UpdateGrace's 14 days, whatever the date.
python3 "$SRC/tests/integration/ioscat_shift.py" "$FIX/sofa-v2.json" 15 >"$WORK/good.json"
cp "$WORK/good.json" "$WORK/www/ios.json"
ioscat_serve

start_sim healthy stale-backup unlocked no-wifi
H=$(udid_of healthy) CUR=$(udid_of stale-backup) TRAIN=$(udid_of unlocked) OLD=$(udid_of no-wifi)
sim set "$CUR" - ProductType iPhone16,1
sim set "$CUR" - ProductVersion 26.2
sim set "$TRAIN" - ProductType iPhone13,2
sim set "$TRAIN" - ProductVersion 18.7.2
sim set "$OLD" - ProductType iPhone8,1
sim set "$OLD" - ProductVersion 15.8
write_config ""
start_daemon
IOS=$(msgid precondition.ios_current)
CAT=$(msgid fleet.ios_catalog_unusable)
[ -n "$IOS" ] && [ -n "$CAT" ] || fail "MESSAGE_IDs missing"

# expect_verdict UDID REGEX (of "STATE|REASON")
expect_verdict() {
	wait_for 20 verdict_is "$1" "$2" || fail "$1: ios_current is \"$(verdict "$1")\", expected /$2/"
}
check_all() {
	expect_verdict "$H" '^failing\|iOS 17\.5\.1: update to 17\.7\.2 \(behind since [0-9-]+, [0-9]+ days\), fixes 1 actively exploited CVE$'
	expect_verdict "$CUR" '^ok\|iOS 26\.2 is current$'
	expect_verdict "$TRAIN" '^ok\|iOS 18\.7\.2 is current in its train \(26\.2 available\)$'
	expect_verdict "$OLD" '^failing\|iOS 15\.8: no release in the iOS catalog supports iPhone8,1 any more'
}
check_all
echo "ok - four models, four verdicts from the catalog"

# Every thread but the loop's (the catalog's parser among them) blocks SIGTERM: a signal is
# always the loop's to take.
threads=0
for task in /proc/"$DAEMON_PID"/task/*; do
	[ "${task##*/}" = "$DAEMON_PID" ] && continue
	threads=$((threads + 1))
	blocked=$(awk '/^SigBlk/ {print $2}' "$task/status")
	[ $((0x$blocked & 0x4000)) -ne 0 ] || fail "thread $(cat "$task/comm") takes SIGTERM"
done
[ "$threads" -ge 1 ] || fail "no catalog thread beside the loop's"
echo "ok - $threads thread(s) beside the loop's, each blocking SIGTERM"

expect_entries 1 MESSAGE_ID="$IOS" DEVICE_UDID="$H" STATE=failing PRIORITY=4 \
	PRODUCT_TYPE=iPhone15,2 REASON~"update to 17.7.2"
expect_entries 0 MESSAGE_ID="$IOS" DEVICE_UDID="$CUR" STATE=failing
ctl status "$H" >"$WORK/out" && fail "a phone behind on iOS is ready"
grep -q ios-old "$WORK/out" || fail "no ios-old blocker: $(cat "$WORK/out")"
echo "ok - one journal entry, the ios-old blocker"

# serve FILE: the next poll (a SIGHUP polls at once) gets FILE, with a newer mtime.
n=0
serve() {
	n=$((n + 1))
	cp "$1" "$WORK/www/ios.json.new"
	touch -d "@$(($(date +%s) + n * 10))" "$WORK/www/ios.json.new"
	mv "$WORK/www/ios.json.new" "$WORK/www/ios.json"
	kill -HUP "$DAEMON_PID"
}
quick_ctl() {
	for i in 1 2 3; do
		start=$(date +%s%N)
		ctl status >/dev/null 2>&1 || [ $? -eq 1 ] || fail "backupctl failed: $1"
		ms=$((($(date +%s%N) - start) / 1000000))
		[ "$ms" -le 1000 ] || fail "backupctl took $ms ms: $1"
	done
}

serve "$FIX/truncated.json"
expect_entries 1 MESSAGE_ID="$CAT" STATE=failing PRIORITY=4 CATALOG_ERROR~"not JSON"
check_all
echo "ok - truncated catalog: one warning, last good verdicts kept"

head -c 50000000 /dev/zero | tr '\0' ' ' >"$WORK/huge.json"
serve "$WORK/huge.json"
quick_ctl "50 MB catalog"
sleep 1
expect_entries 1 MESSAGE_ID="$CAT" STATE=failing
check_all
echo "ok - 50 MB catalog: refused, no second warning, verdicts kept, backupctl answers"

# The phone updated to the train's newest release while the catalog was broken.
sim set "$H" - ProductVersion 17.7.2
serve "$WORK/good.json"
expect_entries 1 MESSAGE_ID="$CAT" STATE=ok PRIORITY=5
ctl refresh "$H" >/dev/null || true
expect_verdict "$H" '^ok\|iOS 17\.7\.2 is current in its train \(26\.2 available\)$'
expect_entries 1 MESSAGE_ID="$IOS" DEVICE_UDID="$H" STATE=ok
echo "ok - catalog good again: one recovery entry; the updated phone is current"

kill "$CAT_PID"
wait "$CAT_PID" 2>/dev/null || true
kill -HUP "$DAEMON_PID"
quick_ctl "catalog server gone"
expect_entries 2 MESSAGE_ID="$CAT" STATE=failing
expect_verdict "$CUR" '^ok\|iOS 26\.2 is current$'
expect_verdict "$OLD" '^failing\|iOS 15\.8: no release in the iOS catalog supports iPhone8,1 any more'
kill -0 "$DAEMON_PID" || fail "backupd died"
echo "ok - catalog server gone: one more warning, verdicts kept"

# A restart with the catalog server still gone: the last good catalog, kept in StateDirectory,
# judges the phones before (and without) any answer from the network.
[ -s "$WORK/state/ios-catalog.cache" ] || fail "no iOS catalog cache in StateDirectory"
head -c 22 "$WORK/state/ios-catalog.cache" | grep -q '^backupd-ios-catalog 1 ' ||
	fail "the cache has no header"
stop_daemon
start_daemon
expect_verdict "$CUR" '^ok\|iOS 26\.2 is current$'
expect_verdict "$H" '^ok\|iOS 17\.7\.2 is current in its train \(26\.2 available\)$'
expect_verdict "$OLD" '^failing\|iOS 15\.8: no release in the iOS catalog supports iPhone8,1 any more'
grep -q "iOS catalog from the last run's cache" "$WORK/daemon.log" ||
	journalctl --no-pager SYSLOG_IDENTIFIER=backupd | grep -q "iOS catalog from the last run's cache" ||
	fail "the cached catalog's use was not said"
echo "ok - restart with the catalog server down: phones judged by the cached catalog"

# A corrupt cache is set aside and said once; the daemon runs on without a catalog.
stop_daemon
{
	printf 'backupd-ios-catalog 1 %s\n' "$CATALOG_URL"
	head -c 5000 "$WORK/good.json"
} >"$WORK/state/ios-catalog.cache"
start_daemon
expect_verdict "$OLD" '^ok\|not checked'
ls "$WORK/state"/ios-catalog.cache.corrupt-* >/dev/null 2>&1 || fail "the corrupt cache was not set aside"
[ ! -e "$WORK/state/ios-catalog.cache" ] || fail "the corrupt cache is still in place"
n_said=$(journalctl --no-pager SYSLOG_IDENTIFIER=backupd 2>/dev/null | grep -c "iOS catalog cache unusable" || true)
[ "$n_said" = 1 ] || fail "the corrupt cache was said $n_said times, not once"
kill -0 "$DAEMON_PID" || fail "backupd died on a corrupt cache"
echo "ok - corrupt cache: set aside, said once, not fatal"
