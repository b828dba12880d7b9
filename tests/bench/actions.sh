#!/bin/sh
# SPDX-License-Identifier: ISC
# backupctl enable-backup of N backup-off phones in one command (issue 14):
#
#   sh tests/bench/actions.sh [N=100] [BUILD=build-bench]
#
# Builds Release into BUILD (unless it is an existing tree given by the caller), makes N
# profiles from tests/fixtures/devices/backup-off.plist (own UDIDs, backed up an hour before
# being switched off, otherwise healthy), starts idevice-sim and backupd (Workers=16,
# ProbeTimeout=10s, [Actions] Allow=enable-backup) on private sockets, waits until every
# phone is probed (all N not ready: backup-off), then times `backupctl --all enable-backup`
# (every mobilebackup2 session, the re-probe and the reply) and checks that every phone is
# ready afterwards (exit 1 if not). Not part of ctest.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-100}
BUILD=${2:-$SRC/build-bench}
if [ ! -x "$BUILD/bin/backupd" ] || [ "${2:-}" = "" ]; then
	echo "building Release into $BUILD ..." >&2
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBACKUPD_SANITIZE=OFF >/dev/null
	nice -n 10 cmake --build "$BUILD" -j2 --target backupd backupctl idevice-sim >/dev/null
fi

. "$SRC/tests/bench/bench_lib.sh"
bench_work bactions
export NO_COLOR=1 BACKUPD_LOG_TARGET=stderr

mkdir -p "$WORK/profiles" "$WORK/state"
i=0
while [ $i -lt "$N" ]; do
	id=$(printf '%016X' $((0x5A000000 + i)))
	sed -e "s|00008120-001A2B3C4D5E6F02|00008120-$id|" -e "s|Sim backup-off|Bench $i|" \
		-e "s|<key>Domains</key>|<key>BackupAgeSeconds</key>\n\t<integer>3600</integer>\n\t<key>Domains</key>|" \
		"$SRC/tests/fixtures/devices/backup-off.plist" >"$WORK/profiles/p$(printf %04d $i).plist"
	i=$((i + 1))
done
bench_sim --profiles "$WORK/profiles"
bench_config "[Probe]
PollInterval=1h
ProbeTimeout=10s
Workers=16
[Actions]
Allow=enable-backup"
"$BUILD/bin/backupd" --config "$WORK/backupd.conf" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
ctl() { "$BUILD/bin/backupctl" --socket "$WORK/control" "$@"; }
probed() { [ "$(ctl --json status | grep -c '"probe_status": "ok"')" = "$N" ]; }
wait_for 60 probed || { echo "not every phone was probed" >&2; exit 1; }
ctl --json status | grep -q "\"not_ready\": $N" || { echo "expected $N not ready" >&2; exit 1; }

start=$(date +%s%N)
rc=0
ctl --all enable-backup >"$WORK/out" 2>&1 || rc=$?
end=$(date +%s%N)
done_count=$(grep -c ": iCloud Backup switched on" "$WORK/out" || true)
ready=$(ctl --json status | sed -n 's/.*"ready": \([0-9]*\).*/\1/p' | head -1)
wall_ms=$(((end - start) / 1000000))
echo "enable-backup --all, $N backup-off phones, Workers=16: wall ${wall_ms} ms," \
	"exit $rc, switched on $done_count, ready afterwards $ready/$N"
[ "$rc" = 0 ] && [ "$done_count" = "$N" ] && [ "$ready" = "$N" ]
