#!/bin/sh
# SPDX-License-Identifier: ISC
# probe_once against idevice-sim: every profile's status and facts, session reuse, detach
# between probes, reconnect after a dropped session, hang bounded by the timeout.
# usage: test_probe.sh PROBE_ONCE BUILD_DIR SOURCE_DIR
#
# Only the hang is a test of the timeout (3 s). Every other probe gets a minute: a not-paired
# phone's Pair makes a key pair, which takes more than 3 s on a loaded machine, and a probe
# cut by the timeout would report "unresponsive" instead of the status under test.
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
TIMEOUT_MS=60000      # a bound, not a figure: no probe here but the hang comes near it
HANG_TIMEOUT_MS=3000 # the hang's: reported unresponsive within it, plus the slack below
. "$src/scripts/wait_for.sh"

sim_start() {
	"$sim_bin" --socket "$work/usbmuxd" --control "$work/control" --profiles "$profiles" \
		--ready-file "$work/ready" >"$work/sim.log" 2>&1 &
	sim_pid=$!
	# It makes its keys first: seconds on a loaded machine.
	wait_for 60 test -s "$work/ready" && return 0
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
	case $name in *hang*) ms=$HANG_TIMEOUT_MS ;; *) ms=$TIMEOUT_MS ;; esac
	out=$(timeout 120 "$probe_once" "$udid" --timeout "$ms") || rc=$?
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

# 2. Session reuse: probes 2..5 open no new lockdownd session (the simulator's counters say
#    so; their times are printed, a figure and not a check, since load stretches them).
healthy=$(for p in "$profiles"/healthy.plist; do udid_of "$p"; break; done)
udid=$healthy
before=$(sim_ctl stats)
lines=$("$probe_once" "$udid" --repeat 5 --timeout "$TIMEOUT_MS") || true
after=$(sim_ctl stats)
first=$(printf '%s\n' "$lines" | head -1)
[ "$(field "$first" status)" = ok ] || fail "session reuse: first probe $(field "$first" status)"
echo "warm probes (ms): $(printf '%s\n' "$lines" | tail -n +2 | while read -r line; do
	printf '%s ' "$(field "$line" probe_ms)"; done)"
# stat NAME STATS_LINE: the number after NAME= in the simulator's stats reply
stat() { printf '%s\n' "$2" | sed -n "s/.*[ ]*$1=\([0-9]*\).*/\1/p"; }
for what in sessions:1 tls_handshakes:2; do # one lockdownd session + one diagnostics service
	n=${what%%:*} want=${what#*:}
	got=$(($(stat "$n" "$after") - $(stat "$n" "$before")))
	[ "$got" -eq "$want" ] || fail "5 probes made $got $n, expected $want"
done

# 3. Reconnect once after the simulator drops the cached session (detach + attach closes the
#    device's connections): the second probe is still ok. The drop comes after the first
#    probe has printed and before the second starts (--step), whatever the machine's load.
mkfifo "$work/step"
"$probe_once" "$udid" --repeat 2 --step --timeout "$TIMEOUT_MS" <"$work/step" >"$work/reconnect" &
probe_pid=$!
exec 3>"$work/step"
if wait_for 60 test -s "$work/reconnect"; then
	sim_ctl detach "$udid" >/dev/null
	sim_ctl attach "$udid" >/dev/null
	echo next >&3
fi
exec 3>&-
wait "$probe_pid" || true
lines=$(cat "$work/reconnect")
[ "$(printf '%s\n' "$lines" | wc -l)" -eq 2 ] || fail "reconnect: expected 2 probes"
printf '%s\n' "$lines" | while read -r line; do
	[ "$(field "$line" status)" = ok ] || echo "FAIL: after drop: $line"
done | grep FAIL && failures=$((failures + 1))

# 4. Detached between probes: vanished, with a reason.
sim_ctl detach "$udid" >/dev/null
out=$("$probe_once" "$udid" --timeout "$TIMEOUT_MS") || true
expect "$out" status vanished
sim_ctl attach "$udid" >/dev/null

# 5. A cold session's TLS handshakes go on when the phone answers, not after libimobiledevice's
# 100 ms sleep (daemon/helper/handshake_wait.h): the trace counts the early retries. On a
# loaded machine the phone's answer may already be there when the handshake reads, and then
# there is nothing to wait for: no retry, and a handshake well under 100 ms.
BACKUPD_TRACE=1 "$probe_once" "$udid" --timeout "$TIMEOUT_MS" >/dev/null 2>"$work/trace" || true
wakes=$(sed -n 's/.*backupd-trace probe .*cold=1 .* early_wakes=\([0-9]*\).*/\1/p' "$work/trace")
handshake_us=$(sed -n 's/.*backupd-trace probe .*cold=1 .* handshake_us=\([0-9]*\).*/\1/p' "$work/trace")
[ "${wakes:-0}" -ge 1 ] || [ "${handshake_us:-100000}" -lt 100000 ] ||
	fail "cold probe: the handshake waited out the 100 ms sleep ($(cat "$work/trace"))"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "test_probe: ok"
