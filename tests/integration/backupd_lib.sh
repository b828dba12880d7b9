# SPDX-License-Identifier: ISC
# backupd_lib.sh: shared steps of the daemon's integration tests (sourced, POSIX sh).
# Expects BUILD (the build directory) and SRC (the source directory) to be set, and to run
# inside journal-ns.sh (a private, real journald).

SIM="$BUILD/tests/sim/idevice-sim"
BACKUPD="$BUILD/bin/backupd"
BACKUPCTL="$BUILD/bin/backupctl"
JCHECK="$BUILD/tests/integration/journal_check"
IDS="$BUILD/tests/integration/message_ids_list"
PROFILES="$SRC/tests/fixtures/devices"

WORK=$(mktemp -d /tmp/backupd-it.XXXXXX)
export USBMUXD_SOCKET_ADDRESS="UNIX:$WORK/usbmuxd"
export NO_COLOR=1
SIM_PID=""
DAEMON_PID=""

fail() {
	echo "FAIL: $*" >&2
	if [ -f "$WORK/daemon.log" ]; then
		echo "--- daemon stderr (last 30 lines)" >&2
		tail -n 30 "$WORK/daemon.log" >&2
	fi
	echo "--- journal (last 30 entries)" >&2
	journalctl --no-pager -o short SYSLOG_IDENTIFIER=backupd 2>/dev/null | tail -n 30 >&2
	exit 1
}

# Stops what is left. A daemon or simulator that exits badly at the end (a sanitizer report)
# fails the test with its log, whatever the test said before.
cleanup() { # [STATUS]: the script's status so far (default: $?)
	rc=${1:-$?}
	set +e
	if [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && ! wait "$DAEMON_PID"; then
		echo "FAIL: backupd exited badly at the end" >&2
		tail -n 60 "$WORK/daemon.log" >&2
		rc=1
	fi
	if [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && ! wait "$SIM_PID"; then
		echo "FAIL: idevice-sim exited badly at the end" >&2
		tail -n 60 "$WORK/sim.log" >&2
		rc=1
	fi
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT INT TERM

# The MESSAGE_ID of a name from message_ids.c ("precondition.power", "device.attached", ...).
msgid() {
	"$IDS" | awk -v n="$1" '$2 == n { print $1 }'
}

udid_of() {
	sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;q}' "$PROFILES/$1.plist"
}

# launch_sim ARG... : the simulator on the test's sockets with these arguments (SIM_ARGS:
# more options), ready.
launch_sim() {
	rm -f "$WORK/sim.ready"
	# shellcheck disable=SC2086
	"$SIM" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" --ready-file "$WORK/sim.ready" \
		"$@" ${SIM_ARGS:-} >"$WORK/sim.log" 2>&1 &
	SIM_PID=$!
	# It makes its keys first: seconds on a loaded machine.
	wait_for 60 test -e "$WORK/sim.ready" || fail "simulator did not start"
}

# start_sim PROFILE... : the simulator with these profiles attached.
start_sim() {
	args=""
	for p in "$@"; do args="$args --profile $PROFILES/$p.plist"; done
	# shellcheck disable=SC2086
	launch_sim $args
}

# start_sim_devices N : the simulator with N generated phones.
start_sim_devices() {
	launch_sim --devices "$1"
}

sim() {
	"$SIM" --ctl "$WORK/sim.ctl" "$@" >/dev/null || fail "sim control: $*"
}

# write_config EXTRA_LINES : a config for a quick test run.
write_config() {
	mkdir -p "$WORK/state"
	cat >"$WORK/backupd.conf" <<EOF
[Probe]
PollInterval=10s
ProbeTimeout=3s
Workers=4
[Rules]
ICloudQuota=50G
[Alerts]
AlertHoldoff=0
[StatusFeed]
StatusFeedURL=${FEED_URL:-}
[IOS]
CatalogURL=${CATALOG_URL:-}
[Daemon]
StateDirectory=$WORK/state
ControlSocket=$WORK/control
ControlGroup=root
[Metrics]
Listen=${METRICS_LISTEN:-}
$1
EOF
}

start_daemon() {
	"$BACKUPD" --config "$WORK/backupd.conf" >>"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_for 30 test -S "$WORK/control" || fail "backupd did not open its control socket"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "backupd exited non-zero on SIGTERM"
	DAEMON_PID=""
	rm -f "$WORK/control"
}

ctl() {
	"$BACKUPCTL" --socket "$WORK/control" "$@"
}

. "$SRC/scripts/wait_for.sh"

# journal_count CONDITION... : entries of backupd matching every condition.
journal_count() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json SYSLOG_IDENTIFIER=backupd >"$WORK/journal.json" 2>/dev/null
	"$JCHECK" --count 0 "$WORK/journal.json" "$@" 2>/dev/null | sed -n 's/^\([0-9]*\) matching.*/\1/p'
}

# expect_entries N CONDITION... : waits up to 30 s for exactly N matching entries (a bound for
# a loaded machine; it returns as soon as they are there).
expect_entries() {
	want=$1
	shift
	i=0
	while [ $i -lt 300 ]; do
		[ "$(journal_count "$@")" = "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "expected $want journal entries matching: $* (found $(journal_count "$@"))"
}
