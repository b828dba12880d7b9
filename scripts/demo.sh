#!/bin/sh
# Quick start: installs the dependencies, builds (release) in build/, starts idevice-sim with
# a small demo fleet on a private socket, shows it through the real libimobiledevice tools,
# and stops it. Idempotent; run as root on a fresh Debian 12 (or as a user once deps exist).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBACKUPD_SANITIZE=OFF >/dev/null
cmake --build build -j"$(nproc)"

sim=build/tests/sim/idevice-sim
fixtures=tests/fixtures/devices
dir=$(mktemp -d "${TMPDIR:-/tmp}/backupd-demo.XXXXXX")
pid=""
stop() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap stop EXIT INT TERM

fleet="healthy backup-off no-power no-wifi old-ios"
set --
for name in $fleet; do set -- "$@" --profile "$fixtures/$name.plist"; done
"$sim" --socket "$dir/usbmuxd" --control "$dir/control" --ready-file "$dir/ready" "$@" \
	>"$dir/sim.log" 2>&1 &
pid=$!
i=0
until [ -s "$dir/ready" ]; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
		cat "$dir/sim.log" >&2
		echo "demo: idevice-sim did not start" >&2
		exit 1
	fi
	sleep 0.05
done
export USBMUXD_SOCKET_ADDRESS="UNIX:$dir/usbmuxd"

echo "== Simulated iPhones (idevice_id -l, through the real libusbmuxd):"
timeout 20 idevice_id -l
for name in $fleet; do
	udid=$(sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;}' \
		"$fixtures/$name.plist")
	echo
	echo "== $udid ($name): $(timeout 20 ideviceinfo -u "$udid" -k DeviceName)," \
		"iOS $(timeout 20 ideviceinfo -u "$udid" -k ProductVersion)"
	echo "-- ideviceinfo -u $udid -q com.apple.mobile.battery"
	timeout 20 ideviceinfo -u "$udid" -q com.apple.mobile.battery
	echo "-- ideviceinfo -u $udid -q com.apple.mobile.backup"
	timeout 20 ideviceinfo -u "$udid" -q com.apple.mobile.backup
done
udid=$(timeout 20 idevice_id -l | head -n 1)
echo
echo "== idevicediagnostics -u $udid ioregentry AppleBCMWLANSkywalkInterface"
timeout 20 idevicediagnostics -u "$udid" ioregentry AppleBCMWLANSkywalkInterface || true
echo
echo "== Simulator: $("$sim" --ctl "$dir/control" stats)"
