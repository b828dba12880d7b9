# SPDX-License-Identifier: ISC
# Shared by the benchmark scripts that run idevice-sim and backupd on private sockets (source
# it after setting SRC).

# bench_work NAME: $WORK, a fresh directory under /tmp; libusbmuxd (backupctl, the daemon)
# pointed at the simulator's socket there; at exit the daemon ($DAEMON_PID) and the simulator
# ($SIM_PID) are stopped and $WORK removed. Also brings in wait_for.
bench_work() {
	WORK=$(mktemp -d "/tmp/$1.XXXXXX")
	export USBMUXD_SOCKET_ADDRESS="UNIX:$WORK/usbmuxd"
	SIM_PID="" DAEMON_PID=""
	trap bench_cleanup EXIT INT TERM
	. "$SRC/scripts/wait_for.sh"
}

bench_cleanup() {
	# BENCH_KEEP=DIR: the daemon's log (its BACKUPD_TRACE lines) is kept there
	# (made if missing; a failure here must not turn the benchmark's own status into one)
	if [ -n "${BENCH_KEEP:-}" ]; then
		mkdir -p "$BENCH_KEEP" && cp "$WORK"/*.log "$BENCH_KEEP"/ ||
			echo "BENCH_KEEP: could not keep the logs in $BENCH_KEEP" >&2
	fi
	if [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null; then wait "$DAEMON_PID" 2>/dev/null || :; fi
	if [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; then wait "$SIM_PID" 2>/dev/null || :; fi
	rm -rf "$WORK"
}

# bench_config [SECTIONS]: $WORK/backupd.conf for a benchmark: no status feed; state, control
# socket and its group (root) in $WORK; then SECTIONS, the benchmark's own.
bench_config() {
	mkdir -p "$WORK/state"
	cat >"$WORK/backupd.conf" <<EOF
[StatusFeed]
StatusFeedURL=
[IOS]
CatalogURL=
[Daemon]
StateDirectory=$WORK/state
ControlSocket=$WORK/control
ControlGroup=root
${1:-}
EOF
}

# bench_sim ARG... : idevice-sim of $BUILD on $WORK's sockets with these arguments, ready
# ($SIM_PID); exits the benchmark when it does not start.
bench_sim() {
	"$BUILD/tests/sim/idevice-sim" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" \
		--ready-file "$WORK/sim.ready" "$@" >"$WORK/sim.log" 2>&1 &
	SIM_PID=$!
	wait_for 60 test -e "$WORK/sim.ready" || { echo "simulator did not start" >&2; exit 1; }
}

# bench_wait_probed PORT N : starts $BUILD's backupd on $WORK/backupd.conf ($DAEMON_PID), whose
# /metrics listens on 127.0.0.1:PORT, and waits until its probes_total counts N probes (300 s
# at most). Exits the benchmark, with the daemon's last words, when it ends or never gets
# there (a config error used to leave a benchmark waiting 300 s for a daemon long gone).
# Needs scrape from tests/integration/metrics_lib.sh.
bench_wait_probed() {
	"$BUILD/bin/backupd" --config "$WORK/backupd.conf" >"$WORK/daemon.log" 2>&1 &
	DAEMON_PID=$!
	_waited=0
	while ! bench_probed "$1" "$2"; do
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			echo "backupd ended: $(tail -n 3 "$WORK/daemon.log")" >&2
			exit 1
		fi
		_waited=$((_waited + 1))
		[ $_waited -lt 300 ] || { echo "the fleet was not probed within 300 s" >&2; exit 1; }
		sleep 1
	done
}

bench_probed() { # PORT N
	scrape "127.0.0.1:$1" >"$WORK/scrape.txt" || return 1
	[ "$(awk '/^backupd_probes_total\{/ { n += $2 } END { print n + 0 }' "$WORK/scrape.txt")" -ge "$2" ]
}
