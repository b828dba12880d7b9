# SPDX-License-Identifier: ISC
# Shared by the idevice-sim tests: a private temp dir, a simulator on a private socket,
# the real libimobiledevice tools pointed at it, every tool under a time limit.
# Environment from ctest: SIM, SIM_CLIENT, FIXTURES.
set -eu
: "${SIM:?path of idevice-sim}" "${FIXTURES:?fixtures dir}"
T=$(mktemp -d "${TMPDIR:-/tmp}/idevice-sim-test.XXXXXX")
SIM_PID=""
export USBMUXD_SOCKET_ADDRESS="UNIX:$T/usbmuxd"
TOOL_TIMEOUT=${TOOL_TIMEOUT:-30}
FAILURES=0

cleanup() {
	if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT

# start_sim ARGS...: starts the simulator and waits until it listens.
start_sim() {
	rm -f "$T/ready"
	"$SIM" --socket "$T/usbmuxd" --control "$T/control" --ready-file "$T/ready" "$@" \
		>"$T/sim.out" 2>"$T/sim.err" &
	SIM_PID=$!
	i=0
	while [ ! -s "$T/ready" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$SIM_PID" 2>/dev/null; then
			cat "$T/sim.err" >&2
			echo "FAIL: simulator did not start" >&2
			exit 1
		fi
		sleep 0.05
	done
}

# stop_sim: SIGTERM, then the exit status must be 0 and stderr free of sanitizer reports.
stop_sim() {
	kill -TERM "$SIM_PID"
	rc=0
	wait "$SIM_PID" || rc=$?
	SIM_PID=""
	if [ $rc -ne 0 ] || grep -q "Sanitizer\|runtime error" "$T/sim.err"; then
		cat "$T/sim.err" >&2
		fail "simulator exited with status $rc or sanitizer reports"
	fi
}

ctl() { "$SIM" --ctl "$T/control" "$@"; }
tool() { timeout "$TOOL_TIMEOUT" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}
pass() { echo "ok: $*"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1: '$3' not in: $2" ;;
	esac
}

# wait_for FILE PATTERN: until a line of FILE matches (10 s at most).
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			fail "timed out waiting for '$2' in $1"
			return 1
		fi
		sleep 0.05
	done
}

finish() {
	if [ -n "$SIM_PID" ]; then stop_sim; fi
	if [ "$FAILURES" -ne 0 ]; then
		echo "$FAILURES failure(s)" >&2
		exit 1
	fi
	echo "all passed"
}

# Fixture UDIDs by profile name.
udid_of() {
	sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;}' "$FIXTURES/$1.plist"
}

# make_ids: test supervision identities and their profiles in $T/ids (make_identities.sh).
make_ids() {
	IDS=$T/ids
	sh "${MAKE_IDENTITIES:?path of make_identities.sh}" "$IDS"
}

# go_ios: the go-ios binary that scripts/deps.sh installs from npm (into GO_IOS_DIR).
go_ios_path() {
	case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64) arch=arm64 ;;
	*) arch=$(uname -m) ;;
	esac
	echo "${GO_IOS_DIR:-/opt/backupd-test/go-ios}/node_modules/go-ios/dist/go-ios-linux-${arch}_linux_${arch}/ios"
}
