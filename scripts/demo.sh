#!/bin/sh
# SPDX-License-Identifier: ISC
# Quick start: installs the dependencies, builds (release) in build/, and runs backupd with
# backupctl status. With iPhones attached through a running usbmuxd it watches them; with
# none, it starts idevice-sim with a small demo fleet on a private socket. Idempotent; run as
# root on a fresh Debian 12 (or as a user once the dependencies are there).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBACKUPD_SANITIZE=OFF >/dev/null
cmake --build build -j"$(nproc)"

sim=build/tests/sim/idevice-sim
fixtures=tests/fixtures/devices
dir=$(mktemp -d "${TMPDIR:-/tmp}/backupd-demo.XXXXXX")
sim_pid=""
daemon_pid=""
stop() {
	for pid in $daemon_pid $sim_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$dir"
}
trap stop EXIT INT TERM

. scripts/wait_for.sh

if [ -S /var/run/usbmuxd ] && [ -n "$(timeout 10 idevice_id -l 2>/dev/null)" ]; then
	echo "== iPhones attached through usbmuxd: watching them"
else
	echo "== No iPhone attached: starting idevice-sim with a demo fleet"
	set --
	for name in healthy backup-off unlocked no-power not-charging no-wifi stale-backup \
		not-paired; do
		set -- "$@" --profile "$fixtures/$name.plist"
	done
	"$sim" --socket "$dir/usbmuxd" --control "$dir/sim.ctl" --ready-file "$dir/sim.ready" \
		"$@" >"$dir/sim.log" 2>&1 &
	sim_pid=$!
	wait_for 10 test -s "$dir/sim.ready" || {
		cat "$dir/sim.log" >&2
		echo "demo: idevice-sim did not start" >&2
		exit 1
	}
	export USBMUXD_SOCKET_ADDRESS="UNIX:$dir/usbmuxd"
fi

# The shipped defaults, with state and control socket in the demo's own directory.
cat >"$dir/backupd.conf" <<CONF
[Daemon]
StateDirectory=$dir/state
ControlSocket=$dir/control
ControlGroup=root
CONF
mkdir -p "$dir/state"
BACKUPD_LOG_TARGET=stderr build/bin/backupd --config "$dir/backupd.conf" 2>"$dir/backupd.log" &
daemon_pid=$!
ctl() { build/bin/backupctl --socket "$dir/control" "$@"; }
wait_for 15 test -S "$dir/control" || {
	cat "$dir/backupd.log" >&2
	echo "demo: backupd did not start" >&2
	exit 1
}
# One probe round: every device's first verdict.
ctl refresh >/dev/null 2>&1 || true

echo
echo "== backupctl status"
ctl status || true
if [ -n "$sim_pid" ]; then
	echo
	echo "== backupctl status \"Sim not-charging\"   (one device: every precondition and its fix)"
	ctl status "Sim not-charging" || true
fi
echo
echo "== backupctl feed"
ctl feed || true
echo
echo "== What backupd logged (under systemd this goes to the journal with MESSAGE_IDs)"
head -n 40 "$dir/backupd.log"
