#!/bin/sh
# SPDX-License-Identifier: ISC
# probe_once against idevice-sim: every profile's status and facts, session reuse, detach
# between probes, reconnect after a dropped session, hang bounded by the timeout.
# usage: test_probe.sh PROBE_ONCE BUILD_DIR SOURCE_DIR
#
# Everything that depends on the simulator's CLI and control protocol is in the three sim_*
# functions below (see tests/sim/README.md); the assertions do not depend on it.
set -eu
probe_once=$1 build=$2 src=$3
sim_bin=$build/tests/sim/idevice-sim
profiles=$src/tests/fixtures/devices
work=$(mktemp -d)
export USBMUXD_SOCKET_ADDRESS="UNIX:$work/usbmuxd"
failures=0

sim_start() {
	"$sim_bin" --socket "$work/usbmuxd" --control "$work/control" --profiles "$profiles" \
		--ready-file "$work/ready" >"$work/sim.log" 2>&1 &
	sim_pid=$!
	for _ in $(seq 100); do [ -s "$work/ready" ] && return 0; sleep 0.05; done
	echo "idevice-sim did not start"; cat "$work/sim.log"; exit 1
}
# sim_ctl COMMAND...: one control command, its answer on stdout
sim_ctl() { "$sim_bin" --ctl "$work/control" "$@"; }
sim_stop() { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }
trap 'sim_stop; rm -rf "$work"' EXIT

# field JSON_LINE KEY: the value of KEY (strings unquoted)
field() { printf '%s' "$1" | python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print("null" if v is None else v)' "$2"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() { # expect LINE KEY VALUE
	got=$(field "$1" "$2")
	[ "$got" = "$3" ] || fail "$udid: $2 = '$got', expected '$3' ($(field "$1" error))"
}
udid_of() { python3 -c 'import plistlib,sys; print(plistlib.load(open(sys.argv[1],"rb"))["Root"]["UniqueDeviceID"])' "$1"; }

sim_start

# 1. Each profile: the status it is built to produce, never a crash.
for profile in "$profiles"/*.plist; do
	udid=$(udid_of "$profile")
	name=$(basename "$profile" .plist)
	out=$(timeout 20 "$probe_once" "$udid" --timeout 3000) || rc=$?
	rc=${rc:-0}
	[ "$rc" -le 2 ] || fail "$name: probe_once exited $rc (crash or timeout)"
	case $name in
	*not-paired* | *not_paired*) expect "$out" status not_paired ;;
	*trust*) expect "$out" status trust_pending ;;
	*locked-since-boot* | *locked_since_boot*) expect "$out" status locked_since_boot ;;
	*hang*)
		expect "$out" status unresponsive
		[ "$(field "$out" probe_ms)" -le 4500 ] || fail "$name: hang took $(field "$out" probe_ms) ms" ;;
	*drop* | *malformed*)
		s=$(field "$out" status)
		case $s in protocol_error | vanished | ok) ;; *) fail "$name: status $s" ;; esac
		[ "$s" = ok ] || [ -n "$(field "$out" error)" ] || fail "$name: no reason given" ;;
	backup-off) expect "$out" status ok; expect "$out" backup_enabled no ;;
	no-power) expect "$out" status ok; expect "$out" external_connected no ;;
	not-charging) expect "$out" external_connected yes; expect "$out" battery_charging no ;;
	no-wifi) expect "$out" status ok; expect "$out" wifi_associated no ;;
	never-backed-up) expect "$out" status ok; expect "$out" last_backup_unix null ;;
	unlocked) expect "$out" status ok; expect "$out" password_protected no ;;
	healthy)
		expect "$out" status ok; expect "$out" wifi_associated yes
		expect "$out" password_protected yes; expect "$out" backup_enabled yes
		expect "$out" external_connected yes ;;
	*)
		expect "$out" status ok
		[ -n "$(field "$out" product_version)" ] || fail "$name: no ProductVersion"
		[ "$(field "$out" backup_enabled)" != unknown ] || fail "$name: backup_enabled unknown" ;;
	esac
	unset rc
done

# 2. Session reuse: probes 2..5 open no new lockdownd session and take <= 50 ms each.
healthy=$(for p in "$profiles"/healthy.plist; do udid_of "$p"; break; done)
udid=$healthy
before=$(sim_ctl stats)
lines=$("$probe_once" "$udid" --repeat 5 --timeout 5000) || true
after=$(sim_ctl stats)
first=$(printf '%s\n' "$lines" | head -1)
[ "$(field "$first" status)" = ok ] || fail "session reuse: first probe $(field "$first" status)"
printf '%s\n' "$lines" | tail -n +2 | while read -r line; do
	[ "$(field "$line" probe_ms)" -le 50 ] || echo "FAIL: warm probe took $(field "$line" probe_ms) ms"
done | grep FAIL && failures=$((failures + 1))
# stat NAME STATS_LINE: the number after NAME= in the simulator's stats reply
stat() { printf '%s\n' "$2" | sed -n "s/.*[ ]*$1=\([0-9]*\).*/\1/p"; }
for what in sessions:1 tls_handshakes:2; do # one lockdownd session + one diagnostics service
	n=${what%%:*} want=${what#*:}
	got=$(($(stat "$n" "$after") - $(stat "$n" "$before")))
	[ "$got" -eq "$want" ] || fail "5 probes made $got $n, expected $want"
done

# 3. Reconnect once after the simulator drops the cached session (detach + attach closes the
#    device's connections): the second probe is still ok.
lines=$("$probe_once" "$udid" --repeat 2 --interval 1500 --timeout 5000 &
	sleep 0.7; sim_ctl detach "$udid" >/dev/null; sim_ctl attach "$udid" >/dev/null; wait) || true
[ "$(printf '%s\n' "$lines" | wc -l)" -eq 2 ] || fail "reconnect: expected 2 probes"
printf '%s\n' "$lines" | while read -r line; do
	[ "$(field "$line" status)" = ok ] || echo "FAIL: after drop: $line"
done | grep FAIL && failures=$((failures + 1))

# 4. Detached between probes: vanished, with a reason.
sim_ctl detach "$udid" >/dev/null
out=$("$probe_once" "$udid" --timeout 3000) || true
expect "$out" status vanished
sim_ctl attach "$udid" >/dev/null

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "test_probe: ok"
