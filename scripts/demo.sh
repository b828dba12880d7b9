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
	# The simulator also writes a USB tree (as /sys has it): its phones stand in two 7-port
	# hubs, which the config below names as one cart.
	mkdir -p "$dir/sys"
	"$sim" --socket "$dir/usbmuxd" --control "$dir/sim.ctl" --ready-file "$dir/sim.ready" \
		--sysfs "$dir/sys" "$@" >"$dir/sim.log" 2>&1 &
	sim_pid=$!
	wait_for 10 test -s "$dir/sim.ready" || {
		cat "$dir/sim.log" >&2
		echo "demo: idevice-sim did not start" >&2
		exit 1
	}
	export USBMUXD_SOCKET_ADDRESS="UNIX:$dir/usbmuxd"
fi

# The shipped defaults, with state and control socket in the demo's own directory, and the
# cart pages on a free port of this host.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/backupd.conf" <<CONF
[Daemon]
StateDirectory=$dir/state
ControlSocket=$dir/control
ControlGroup=root
[HTTP]
Listen=127.0.0.1:$port
Columns=7
CONF
if [ -n "$sim_pid" ]; then
	cat >>"$dir/backupd.conf" <<CONF
[Daemon]
SysfsRoot=$dir/sys
[Hub 1-1]
Cart=Demo cart
[Hub 1-2]
Cart=Demo cart
FirstSlot=8
CONF
fi
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
echo
if [ -n "$sim_pid" ]; then
	echo "== The cart page: http://127.0.0.1:$port/cart/Demo%20cart   (all carts: http://127.0.0.1:$port/)"
else
	echo "== The pages: http://127.0.0.1:$port/   (name your hubs with [Hub] sections to see carts)"
fi
# Kept running while someone looks (a terminal); a script that runs the demo ends here.
if [ -t 0 ]; then
	echo "   The page follows every change live. Ctrl-C stops the demo."
	wait "$daemon_pid" || true
fi
