#!/bin/sh
# SPDX-License-Identifier: ISC
# backupctl against the real control server (ctl_fixture_server) on private sockets:
# golden output, --json fields, exit codes, permissions, hostile clients, many clients.
# Usage: ctl_test.sh BACKUPCTL FIXTURE_SERVER RAW_CLIENT JSON_CHECK FIXTURE_DIR PRECONDITION_FIXES
# UPDATE_GOLDEN=1 rewrites the .golden files instead of comparing.
set -u
BACKUPCTL=$1 SERVER=$2 RAW=$3 CHECK=$4 FIX=$5 FIXES=$6
N_PRECONDITIONS=$("$FIXES" | wc -l) # the precondition table's entries
SRC_TESTS=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "skipped: needs root (socket groups, setpriv to other users)"
	exit 77
fi
tmp=$(mktemp -d /tmp/ctl-test.XXXXXX)
chmod 755 "$tmp" # the unprivileged runs below must reach the sockets
failures=0
unset BACKUPCTL_SOCKET NO_COLOR

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# start_server NAME ARGS...: runs the fixture server on $tmp/NAME.sock, waits until ready.
start_server() {
	name=$1
	shift
	rm -f "$tmp/$name.out"
	"$SERVER" --socket "$tmp/$name.sock" "$@" >"$tmp/$name.out" 2>"$tmp/$name.log" &
	echo $! >"$tmp/$name.pid"
	i=0
	while ! grep -q ready "$tmp/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			fail "server $name did not start: $(cat "$tmp/$name.log")"
			return 1
		fi
		sleep 0.05
	done
}

# stop_server NAME: SIGTERM, and the server must exit 0 (ASan leak reports make it fail).
stop_server() {
	pid=$(cat "$tmp/$1.pid")
	kill -TERM "$pid"
	if wait "$pid"; then pass "server $1 exited cleanly"; else fail "server $1 exit: $(cat "$tmp/$1.log")"; fi
}

# expect_exit WANT DESCRIPTION COMMAND...: stdout in $tmp/out, stderr in $tmp/err.
expect_exit() {
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then pass "$what (exit $got)"; else fail "$what: exit $got, want $want; stderr: $(cat "$tmp/err")"; fi
}

expect_stderr() {
	if grep -q -- "$1" "$tmp/err"; then pass "stderr says '$1'"; else fail "stderr lacks '$1': $(cat "$tmp/err")"; fi
}

# golden NAME: compares $tmp/out with $FIX/NAME.golden.
golden() {
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/out" "$FIX/$1.golden"
	elif diff -u "$FIX/$1.golden" "$tmp/out"; then
		pass "golden $1"
	else
		fail "golden $1 differs"
	fi
}

json_check() {
	if "$CHECK" "$@" <"$tmp/out"; then pass "json fields ($#)"; else fail "json fields"; fi
}

ctl() { NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/fleet.sock" "$@"; }

# ---- golden output and exit codes, fleet with blockers ----
start_server fleet --fleet "$FIX/fleet.json" --group nogroup
expect_exit 1 "status: some not ready" ctl status
golden status
expect_exit 1 "status --no-legend" ctl --no-legend status
golden status-no-legend
expect_exit 1 "status UDID: detail view" ctl status 00008030-001C2D3E4F506172
golden status-detail
expect_exit 1 "status NAME: detail view of the unpaired phone" ctl status "Front desk iPhone of the night shift team"
golden status-detail-unpaired
expect_exit 0 "status NAME of the ready phone" ctl status "Reception iPhone"
expect_exit 1 "status two names: table" ctl status Loaner Prototype
golden status-two
expect_exit 0 "feed: operational" ctl feed
golden feed
expect_exit 1 "refresh waits for the async reply" ctl refresh
grep -q "Refreshed 5 device(s), 0 timed out" "$tmp/out" && pass "refresh summary" || fail "refresh summary: $(cat "$tmp/out")"

# ---- scripts and monitoring (issue 15): rows, --state, check, -V ----
expect_exit 1 "status into a pipe is never cut" ctl status
grep -q "Front desk iPhone of the night shift team" "$tmp/out" && pass "full name into a pipe" ||
	fail "name cut into a pipe: $(head -n 2 "$tmp/out")"
# On a terminal (script(1) gives it one) long cells are cut, and --full keeps them.
NO_COLOR=1 script -qec "$BACKUPCTL --socket $tmp/fleet.sock status" /dev/null >"$tmp/tty" 2>&1
grep -q "Front desk iPhone of the ni…" "$tmp/tty" && pass "a terminal cuts long names" ||
	fail "a terminal does not cut: $(head -n 2 "$tmp/tty")"
NO_COLOR=1 script -qec "$BACKUPCTL --socket $tmp/fleet.sock --full status" /dev/null >"$tmp/tty" 2>&1
grep -q "Front desk iPhone of the night shift team" "$tmp/tty" && pass "--full on a terminal" ||
	fail "--full cut on a terminal: $(head -n 2 "$tmp/tty")"
ctl --no-legend status >"$tmp/out"
fields=$(awk -F '\t' '{ print NF }' "$tmp/out" | sort -u)
[ "$fields" = 13 ] && pass "--no-legend: 13 tab-separated fields on every row" ||
	fail "--no-legend field counts: $fields"
awk -F '\t' '$1 == "00008110-000A1B2C3D4E5F60" && $6 == "ready" && $8 == "87" && $9 == "yes" && $10 == "10800" { ok = 1 } END { exit !ok }' "$tmp/out" &&
	pass "--no-legend: UDID, readiness, percent and seconds in their columns" ||
	fail "--no-legend values: $(cat "$tmp/out")"
expect_exit 1 "--state=not-ready" ctl --no-legend --state=not-ready status
[ "$(wc -l <"$tmp/out")" = 2 ] && ! grep -q "	ready	\|	unknown	" "$tmp/out" && pass "--state=not-ready shows the 2 not ready (unknown is its own state)" ||
	fail "--state=not-ready: $(cat "$tmp/out")"
expect_exit 0 "--state=ready: every device shown is ready" ctl --state=ready status
grep -q "1 device, 1 ready, 0 not ready" "$tmp/out" && pass "--state: the summary counts the devices shown" ||
	fail "--state summary: $(tail -n 1 "$tmp/out")"
expect_exit 1 "--state=detached,ready" ctl --no-legend --state=detached,ready status
[ "$(cut -f2 "$tmp/out" | tr '\n' ,)" = "Loaner,Reception iPhone," ] && pass "--state takes a list" ||
	fail "--state=detached,ready: $(cat "$tmp/out")"
expect_exit 2 "--state=bogus is a usage error" ctl --state=bogus status
expect_exit 1 "check: WARNING by default when a device is not ready" ctl check
golden check
expect_exit 0 "check -w 4: OK" ctl check -w 4
grep -q "^BACKUPD OK - 4 of 5 devices not ready" "$tmp/out" && pass "check OK line" || fail "check -w 4: $(cat "$tmp/out")"
expect_exit 2 "check -c 50%: CRITICAL (80% not ready)" ctl -w 1 -c 50% check
expect_exit 1 "check -c 80%: not more than 80%" ctl -w 1 -c 80% check
expect_exit 0 "check --state=ready" ctl --state=ready check
grep -q "| ready=1;;;0;1 not_ready=0;0;;0;1 unknown=0;;;0;1 unreachable=0;;;0;1$" "$tmp/out" &&
	pass "check perfdata" || fail "check perfdata: $(cat "$tmp/out")"
expect_exit 3 "check -w bogus: usage error is UNKNOWN" ctl check -w bogus
expect_exit 3 "check with an argument: UNKNOWN" ctl check extra
expect_exit 3 "check --nonsense: UNKNOWN" ctl check --nonsense
expect_exit 3 "check, backupd unreachable: UNKNOWN" "$BACKUPCTL" --socket "$tmp/nobody.sock" check
grep -q "^BACKUPD UNKNOWN - " "$tmp/out" && pass "check UNKNOWN line" || fail "check unreachable: $(cat "$tmp/out")"
expect_exit 0 "-V" ctl -V
grep -q "^backupctl " "$tmp/out" && pass "-V prints the version" || fail "-V: $(cat "$tmp/out")"

# ---- --json, field by field ----
expect_exit 1 "status --json" ctl --json status
json_check v=1 ok=true now=1718000000 summary.devices=5 summary.ready=1 summary.not_ready=2 \
	summary.unknown=2 devices.0.readiness='"unknown"' devices.0.ready=false \
	devices.1.readiness='"unknown"' devices.2.readiness='"not_ready"' devices.3.readiness='"ready"' \
	devices.4.readiness='"not_ready"' devices.4.ready=false \
	summary.attached=4 feed.state='"operational"' feed.unreachable=false feed.last_good=1717999760 \
	feed.upcoming#1 feed.upcoming.0.start=1718092800 feed.upcoming.0.end=1718100000 \
	feed.upcoming.0.status_type='"Maintenance"' feed.active#0 devices#5 \
	devices.0.name='"Front desk iPhone of the night shift team"' \
	devices.0.probe_status='"not_paired"' devices.0.blockers='["unreachable"]' \
	devices.0.battery_percent:null devices.0.charging:null devices.0.last_backup:null \
	devices.0.ios='""' devices.0.preconditions:missing \
	devices.1.udid='"00008101-0009AA55BB66CC77"' devices.1.attached=false devices.1.ready=false \
	devices.1.probe_error='"gone from usbmuxd"' \
	devices.3.name='"Reception iPhone"' devices.3.ready=true devices.3.blockers='[]' \
	devices.3.product_type='"iPhone14,5"' devices.3.ios='"17.5.1"' devices.3.battery_percent=87 \
	devices.3.charging=true devices.3.external_power=true devices.3.last_backup=1717989200 \
	devices.3.probed_at=1717999880 devices.4.blockers='["backup-off","power","ios-old","stale-backup"]' \
	devices.0.ios_update:null devices.2.ios_update.state='"not-listed"' \
	devices.3.ios_update.state='"current"' devices.3.ios_update.version:null \
	devices.3.ios_update.latest='"17.5.1"' devices.3.ios_update.exploited_cves='[]' \
	devices.4.ios_update.state='"available"' devices.4.ios_update.version='"16.7.8"' \
	devices.4.ios_update.released=1715558400 devices.4.ios_update.latest='"17.5.1"' \
	devices.4.ios_update.behind_since=1709596800 devices.4.ios_update.exploited_since=1709596800 \
	devices.4.ios_update.exploited_count=2 \
	devices.4.ios_update.exploited_cves='["CVE-2024-23225","CVE-2024-23296"]'
expect_exit 1 "status UDID --json" ctl --json status 00008030-001C2D3E4F506172
json_check devices#1 devices.0.preconditions#$N_PRECONDITIONS devices.0.preconditions.0.name='"reachable"' \
	devices.0.preconditions.0.state='"ok"' devices.0.preconditions.1.name='"backup_enabled"' \
	devices.0.preconditions.1.state='"failing"' \
	devices.0.preconditions.1.reason='"iCloud Backup is switched off"' \
	devices.0.preconditions.1.fix:string devices.0.preconditions.8.name='"icloud_service"'
expect_exit 0 "feed --json" ctl --json feed
json_check ok=true now=1718000000 feed.state='"operational"' feed.upcoming.0.message:string \
	feed.unreachable_since:null feed.last_error='""' devices:missing

# ---- usage errors: exit 2 ----
expect_exit 2 "unknown device" ctl status nope "Loaner" nada
expect_stderr "no such device: nope, nada"
expect_exit 2 "unknown verb" ctl frobnicate
expect_stderr 'unknown verb "frobnicate"'
expect_exit 2 "feed takes no arguments" ctl feed extra
expect_exit 2 "unknown option" ctl --bogus status
expect_exit 0 "--help" ctl --help
grep -q "3  backupd unreachable" "$tmp/out" && pass "--help documents exit codes" || fail "--help"
expect_exit 0 "--version" ctl --version
BACKUPCTL_SOCKET="$tmp/fleet.sock" expect_exit 1 "BACKUPCTL_SOCKET" env NO_COLOR=1 "$BACKUPCTL" status

# ---- permissions: socket mode 0660, group nogroup ----
expect_exit 3 "outside the group: the socket's mode refuses" \
	setpriv --reuid=65534 --regid=2 --clear-groups "$BACKUPCTL" --socket "$tmp/fleet.sock" status
expect_stderr "permission denied"
expect_exit 1 "in the group (primary gid): allowed" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BACKUPCTL" --socket "$tmp/fleet.sock" status
stop_server fleet

# ---- permissions: the peer check itself (socket opened to all, group daemon) ----
start_server peer --fleet "$FIX/fleet.json" --group daemon --mode 0666 --hup-group nogroup
for attempt in 1 2; do
	expect_exit 3 "not root, not in group daemon: refused ($attempt)" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BACKUPCTL" --socket "$tmp/peer.sock" status
	expect_stderr "permission denied: only root and members"
done
setpriv --reuid=65534 --regid=65534 --clear-groups "$RAW" "$tmp/peer.sock" refused && pass "raw refused" || fail "raw refused"
expect_exit 1 "gid daemon: allowed" \
	setpriv --reuid=65534 --regid=1 --clear-groups "$BACKUPCTL" --socket "$tmp/peer.sock" status
n=$(grep -c "refused uid 65534" "$tmp/peer.log")
[ "$n" -eq 1 ] && pass "refusal logged once per uid" || fail "refusal logged $n times"
kill -HUP "$(cat "$tmp/peer.pid")" # reconfigure: group nogroup, socket back to 0660
i=0
# the group is looked up on a thread (NSS may wait) and applied when found
while ! grep -q "ControlGroup=nogroup applied" "$tmp/peer.log" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
expect_exit 1 "after reconfigure: gid nogroup allowed" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BACKUPCTL" --socket "$tmp/peer.sock" status
expect_exit 3 "after reconfigure: gid daemon refused" \
	setpriv --reuid=65534 --regid=1 --clear-groups "$BACKUPCTL" --socket "$tmp/peer.sock" status
[ "$(stat -c %a:%G "$tmp/peer.sock")" = 660:nogroup ] && pass "socket 0660 root:nogroup" ||
	fail "socket mode/group after reconfigure: $(stat -c %a:%G "$tmp/peer.sock")"
stop_server peer

# ---- all ready, and an outage in the feed ----
start_server ready --fleet "$FIX/fleet-ready.json"
expect_exit 0 "all ready" env NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/ready.sock" status
stop_server ready
start_server outage --fleet "$FIX/fleet-outage.json"
expect_exit 1 "feed: outage" env NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/outage.sock" feed
golden feed-outage
expect_exit 0 "status, no devices" env NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/outage.sock" status
golden status-empty
stop_server outage

# ---- wide names (CJK, emoji, a combining mark): padded and cut by display width ----
start_server wide --fleet "$FIX/fleet-wide.json"
for loc in C C.UTF-8; do # the C locale uses backupd's own width table, C.UTF-8 wcwidth(3)
	expect_exit 0 "status, wide names, LC_ALL=$loc" \
		env LC_ALL=$loc NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/wide.sock" status
	golden status-wide
	python3 "$SRC_TESTS/ctl_columns.py" CART/SLOT <"$tmp/out" &&
		pass "wide names line up, LC_ALL=$loc" || fail "wide names misaligned, LC_ALL=$loc"
	LC_ALL=$loc NO_COLOR=1 script -qec "$BACKUPCTL --socket $tmp/wide.sock status" /dev/null |
		tr -d '\r' >"$tmp/out"
	golden status-wide-tty
	python3 "$SRC_TESTS/ctl_columns.py" CART/SLOT <"$tmp/out" &&
		pass "wide names cut on a terminal line up, LC_ALL=$loc" ||
		fail "wide names cut on a terminal misaligned, LC_ALL=$loc"
done
stop_server wide

# ---- a cart of two hubs: slots, and status in cart order ----
start_server cart --fleet "$FIX/fleet-cart.json" --config "$FIX/cart.conf"
cartctl() { NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/cart.sock" "$@"; }
expect_exit 0 "slots" cartctl slots
golden slots-cart
expect_exit 1 "status in cart order" cartctl status
golden status-cart
expect_exit 1 "status --json: cart, slot, port_path" cartctl --json status
json_check devices#5 devices.0.name='"Loaner 12"' devices.0.cart='"Cart 3"' devices.0.slot='"3"' \
	devices.0.port_path='"1-1.3"' devices.1.slot='"8"' devices.2.slot='"Teacher"' \
	devices.3.name='"Loaner 3"' devices.3.port_path=null devices.3.cart=null \
	devices.4.port_path='"2-4"' devices.4.cart=null devices.4.slot=null
expect_exit 0 "slots --json" cartctl --json slots
json_check slots#6 slots.0.port_path='"1-1.2"' slots.0.udid=null slots.0.empty_since=1717996400 \
	slots.0.last_name='"Loaner 12"' slots.1.name='"Loaner 12"' slots.1.configured=true \
	slots.5.port_path='"2-4"' slots.5.configured=false
cartctl --no-legend status >"$tmp/out" || true
awk -F '\t' '$2 == "Loaner 12" && $11 == "Cart 3" && $12 == "3" && $13 == "1-1.3" { a = 1 }
	$2 == "Loaner 3" && $11 == "-" && $13 == "-" { b = 1 } END { exit !(a && b) }' "$tmp/out" &&
	pass "--no-legend: CART, SLOT, PORT_PATH columns" || fail "--no-legend slot columns: $(cat "$tmp/out")"
stop_server cart

# ---- hostile clients ----
start_server raw --fleet "$FIX/fleet.json" --idle-ms 1000
for mode in garbage notobject version oversized longline unknownverb pipeline; do
	"$RAW" "$tmp/raw.sock" $mode && pass "raw $mode" || fail "raw $mode"
done
"$RAW" "$tmp/raw.sock" halfsent 1000 && pass "raw halfsent" || fail "raw halfsent"
expect_exit 1 "still serving after the hostile clients" env NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/raw.sock" status
stop_server raw

start_server small --fleet "$FIX/fleet.json" --max-clients 10
"$RAW" "$tmp/small.sock" toomany 30 && pass "max clients" || fail "max clients"
stop_server small
start_server hw --fleet "$FIX/fleet.json" --high-water 100
"$RAW" "$tmp/hw.sock" highwater && pass "high-water drop" || fail "high-water drop"
stop_server hw

# ---- 200 clients at once while devices attach and detach ----
start_server busy --synthetic 100 --mutate-ms 1
i=0
while [ $i -lt 10 ]; do
	NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/busy.sock" status >/dev/null 2>"$tmp/busy-ctl-$i.err" &
	i=$((i + 1))
done
"$RAW" "$tmp/busy.sock" many 200 && pass "200 clients at once" || fail "200 clients"
for job in $(jobs -p); do
	[ "$job" = "$(cat "$tmp/busy.pid")" ] && continue
	wait "$job"
	rc=$?
	[ $rc -le 1 ] && pass "concurrent backupctl" || fail "concurrent backupctl exit $rc"
done
stop_server busy

# ---- no daemon, stale socket, socket in use, systemd socket activation ----
expect_exit 3 "no daemon" "$BACKUPCTL" --socket "$tmp/none.sock" status
expect_stderr "cannot connect to backupd at $tmp/none.sock: No such file or directory (is backupd running?)"
start_server stale --synthetic 3
kill -KILL "$(cat "$tmp/stale.pid")"
wait "$(cat "$tmp/stale.pid")" 2>/dev/null
expect_exit 3 "stale socket" "$BACKUPCTL" --socket "$tmp/stale.sock" status
expect_stderr "Connection refused (is backupd running?)"
start_server stale --synthetic 3 && pass "stale socket replaced"
"$SERVER" --socket "$tmp/stale.sock" --synthetic 1 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && grep -q "in use by a running daemon" "$tmp/err" && pass "live socket kept" ||
	fail "second server on a live socket: exit $rc, $(cat "$tmp/err")"
stop_server stale

systemd-socket-activate -l "$tmp/sd.sock" "$SERVER" --systemd --synthetic 3 >"$tmp/sd.out" 2>"$tmp/sd.log" &
sd_pid=$!
i=0
while [ ! -S "$tmp/sd.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
expect_exit 1 "systemd socket activation" env NO_COLOR=1 "$BACKUPCTL" --socket "$tmp/sd.sock" status
kill -TERM $sd_pid
wait $sd_pid

rm -rf "$tmp"
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
