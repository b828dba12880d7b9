#!/bin/sh
# SPDX-License-Identifier: ISC
# backupctl status at 1000 phones, two trees side by side (issue 25; not part of ctest):
#   heavy --alone sh tests/bench/ctl_compare.sh OLD_BUILD NEW_BUILD
# Release trees built already (backupd, backupctl; NEW also idevice-sim and ctl_bench). One sim
# of 1000 phones, a warm daemon of each tree, ctl_bench 100 runs alternately (old, new, old,
# new); the daemon's CPU per 100 requests from /proc; the bytes backupctl received (strace).
set -eu
OLD=$1; NEW=$2
W=$(mktemp -d /tmp/ctlcmp.XXXXXX)
export USBMUXD_SOCKET_ADDRESS="UNIX:$W/usbmuxd"
"$NEW/tests/sim/idevice-sim" --socket "$W/usbmuxd" --control "$W/sim.ctl" --devices 1000 --seed 1 --ready-file "$W/ready" >"$W/sim.log" 2>&1 &
SIM=$!
for i in $(seq 300); do [ -e "$W/ready" ] && break; sleep 0.1; done
start() { # NAME BUILD
	mkdir -p "$W/$1/state"
	printf '[Probe]\nPollInterval=1h\nProbeTimeout=3s\nWorkers=16\n[StatusFeed]\nStatusFeedURL=\n[IOS]\nCatalogURL=\n[HTTP]\nListen=\n[Daemon]\nStateDirectory=%s/state\nControlSocket=%s/control\nControlGroup=root\n' "$W/$1" "$W/$1" >"$W/$1/backupd.conf"
	"$2/bin/backupd" --config "$W/$1/backupd.conf" >"$W/$1/d.log" 2>&1 &
	echo $! >"$W/$1/pid"
	for i in $(seq 100); do [ -S "$W/$1/control" ] && break; sleep 0.1; done
}
start old "$OLD"; start new "$NEW"
trap 'kill $(cat $W/old/pid) $(cat $W/new/pid) $SIM 2>/dev/null; wait 2>/dev/null; rm -rf $W' EXIT
sleep 10
"$OLD/bin/backupctl" --socket "$W/old/control" refresh | tail -1
"$NEW/bin/backupctl" --socket "$W/new/control" refresh | tail -1
ticks() { awk '{ print $14 + $15 }' /proc/$(cat "$W/$1/pid")/stat; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
	for b in old new; do
		[ $b = old ] && BUILD=$OLD || BUILD=$NEW
		t0=$(ticks $b)
		printf '%s (%s): ' $b "$BUILD"
		CTL_BENCH_SOCKET="$W/$b/control" "$NEW/tests/integration/ctl_bench" "$BUILD/bin/backupctl" - 1000 100
		t1=$(ticks $b)
		echo "   daemon CPU: $(( (t1 - t0) * 10 )) ms over 100 requests"
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in old new; do
	[ $b = old ] && BUILD=$OLD || BUILD=$NEW
	command -v strace >/dev/null || break
	printf '%s bytes on the socket (strace, recv total): ' $b
	strace -f -e trace=recvfrom,recvmsg,read -o "$W/$b.strace" "$BUILD/bin/backupctl" --socket "$W/$b/control" status >/dev/null
	grep recvfrom "$W/$b.strace" | sed 's/.*= //' | awk '$1 > 0 { s += $1 } END { print s }'
done
