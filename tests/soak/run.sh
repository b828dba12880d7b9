#!/bin/sh
# SPDX-License-Identifier: ISC
# Fault soak of backupd against idevice-sim (issue 12). Not part of ctest: minutes, not seconds.
#
#   sh tests/soak/run.sh [BUILD]     (root: a private journald, tmpfs mounts; ~15 min)
#
# BUILD defaults to build-soak/ (configured RelWithDebInfo and built first). Each step prints
# its figure as it ends, and the whole table at the end (Markdown, for docs/soak.md). Scale with
# SOAK_PHONES (100), SOAK_RESTARTS (100), SOAK_CYCLES (1000), SOAK_KILLS (100).
#   1 usbmuxd down/up SOAK_RESTARTS times with SOAK_PHONES phones: misses (phones not back
#     within 15 s), recovery time, the daemon's descriptors before/after.
#   2 SOAK_CYCLES detach/attach cycles: daemon and helper RSS and descriptors before/after.
#   3 kill -9 at a random moment during churn, SOAK_KILLS times: the state loads every time
#     (nothing set aside as corrupt), no failing entry announced twice (alert memory kept).
#   4 control socket abuse (garbage, 1 MiB lines, 10k connects, 300 idle, 50 slow readers)
#     while `backupctl status` is timed every 100 ms: p50 and max.
#   5 a hostile status feed (garbage, 10 MB, drip, 500, redirect loop; plain http, so the
#     loop is refused at its first hop): the last good feed kept, the daemon answering.
#   6 StateDirectory full (a small tmpfs) and read-only, then fixed: warnings and recovery.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" != "--inside" ]; then
	BUILD=${1:-"$SRC/build-soak"}
	if [ -z "${1:-}" ]; then
		cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
		nice -n 10 cmake --build "$BUILD" -j2 >/dev/null
	fi
	exec sh "$SRC/tests/integration/journal-ns.sh" sh "$0" --inside "$BUILD"
fi
BUILD=$2
PHONES=${SOAK_PHONES:-100}
RESTARTS=${SOAK_RESTARTS:-100}
CYCLES=${SOAK_CYCLES:-1000}
KILLS=${SOAK_KILLS:-100}
. "$SRC/tests/integration/backupd_lib.sh"
HERE="$SRC/tests/soak"
FIG="$WORK/figures"
: >"$FIG"
figure() { # STEP TEXT
	echo "figure: $1: $2"
	printf '| %s | %s |\n' "$1" "$2" >>"$FIG"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
attached() {
	"$BACKUPCTL" --socket "$WORK/control" status --json 2>/dev/null |
		sed -n 's/^ *"attached": *\([0-9][0-9]*\),*$/\1/p' | head -n 1
}
attached_is() { [ "$(attached)" = "$1" ]; }
fds_of() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_of() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
helpers() { ps --ppid "$DAEMON_PID" -o pid=,args= | awk '/--probe-helper/ { print $1 }'; }
helpers_rss() { t=0; for p in $(helpers); do t=$((t + $(rss_of "$p"))); done; echo $t; }
helpers_fds() { t=0; for p in $(helpers); do t=$((t + $(fds_of "$p"))); done; echo $t; }
udids() { "$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | awk -F: 'NR > 2 { print $1 }'; }

"$SIM" --socket "$WORK/usbmuxd" --control "$WORK/sim.ctl" --ready-file "$WORK/sim.ready" \
	--devices "$PHONES" --seed 1 --profile "$PROFILES/backup-off.plist" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
wait_for 10 test -e "$WORK/sim.ready" || fail "simulator did not start"
ALL=$((PHONES + 1))
write_config "[Probe]
PollInterval=1min
Workers=8"
start_daemon
wait_for 60 attached_is $ALL || fail "$ALL phones not attached"
sleep 3

# ---- 1 usbmuxd down/up ----
fd0=$(fds_of "$DAEMON_PID")
misses=0 worst=0 total=0
i=0
while [ $i -lt "$RESTARTS" ]; do
	i=$((i + 1))
	sim usbmuxd down
	wait_for 10 attached_is 0 || true
	sim usbmuxd up
	t0=$(ms)
	if wait_for 15 attached_is $ALL; then
		took=$(($(ms) - t0))
		total=$((total + took))
		[ $took -gt $worst ] && worst=$took
	else
		misses=$((misses + 1))
	fi
done
sleep 2
fd1=$(fds_of "$DAEMON_PID")
figure "usbmuxd down/up x$RESTARTS, $ALL phones" "misses $misses; recovery mean $((total / (RESTARTS - misses > 0 ? RESTARTS - misses : 1))) ms, max $worst ms; daemon fds $fd0 -> $fd1"

# ---- 2 attach/detach cycles ----
sleep 3
r0=$(rss_of "$DAEMON_PID") f0=$(fds_of "$DAEMON_PID") hr0=$(helpers_rss) hf0=$(helpers_fds)
set -- $(udids)
i=0
while [ $i -lt "$CYCLES" ]; do
	u=$(eval echo "\${$((i % $# + 1))}")
	sim detach "$u"
	sim attach "$u"
	i=$((i + 1))
done
wait_for 30 attached_is $ALL || true
sleep 5
r1=$(rss_of "$DAEMON_PID") f1=$(fds_of "$DAEMON_PID") hr1=$(helpers_rss) hf1=$(helpers_fds)
figure "detach/attach x$CYCLES" "daemon RSS $r0 -> $r1 KiB, fds $f0 -> $f1; helpers RSS $hr0 -> $hr1 KiB, fds $hf0 -> $hf1"

# ---- 3 kill -9 during churn ----
churn() {
	while :; do
		for u in "$@"; do
			"$SIM" --ctl "$WORK/sim.ctl" detach "$u" >/dev/null 2>&1 || true
			"$SIM" --ctl "$WORK/sim.ctl" attach "$u" >/dev/null 2>&1 || true
		done
	done
}
churn $(udids | head -n 20) &
CHURN=$!
loaded=0 corrupt=0
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	sleep "$(awk -v s="$i" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 1.8 }')"
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=""
	rm -f "$WORK/control"
	start_daemon
	if "$BACKUPCTL" --socket "$WORK/control" status --json >/dev/null 2>&1 || [ $? -eq 1 ]; then
		loaded=$((loaded + 1))
	fi
done
kill "$CHURN" 2>/dev/null || true
wait "$CHURN" 2>/dev/null || true
corrupt=$(ls "$WORK/state" | grep -c 'corrupt' || true)
journalctl --sync 2>/dev/null
journalctl --no-pager -o json SYSLOG_IDENTIFIER=backupd >"$WORK/j.json" 2>/dev/null
twice=$(python3 - "$WORK/j.json" <<'PY'
# A failing entry repeated for the same phone and precondition with no recovery (or other
# state) in between: what alert memory lost by a kill -9 would look like.
import json, sys
last, repeats = {}, 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    key = (e.get("DEVICE_UDID"), e.get("PRECONDITION"))
    if not key[0] or not key[1] or "STATE" not in e:
        continue
    repeats += e["STATE"] == "failing" and last.get(key) == "failing"
    last[key] = e["STATE"]
print(repeats)
PY
)
figure "kill -9 during churn x$KILLS" "daemon answered after $loaded of $KILLS restarts; state files set aside as corrupt: $corrupt; failing entries repeated without a recovery between: $twice"
wait_for 60 attached_is $ALL || true

# ---- 4 control socket abuse, status timed meanwhile ----
sampler() {
	while [ ! -e "$WORK/abuse.done" ]; do
		t0=$(ms)
		"$BACKUPCTL" --socket "$WORK/control" status >/dev/null 2>&1 || true
		echo $(($(ms) - t0))
		sleep 0.1
	done >"$WORK/latency"
}
rm -f "$WORK/abuse.done"
sampler &
SAMPLER=$!
RAW="$BUILD/tests/integration/ctl_raw_client"
{
	python3 "$HERE/abuse.py" "$WORK/control" garbage 500
	python3 "$HERE/abuse.py" "$WORK/control" longlines 50
	python3 "$HERE/abuse.py" "$WORK/control" connects 10000
	python3 "$HERE/abuse.py" "$WORK/control" idle 300 6
	"$RAW" "$WORK/control" slowreaders 50 3000 | sed 's/^/slow readers (their own samples): /'
} >"$WORK/abuse.log" 2>&1 || true
touch "$WORK/abuse.done"
wait "$SAMPLER" || true
lat=$(sort -n "$WORK/latency" | awk '{ a[NR] = $1 } END { printf "p50 %d ms, max %d ms over %d samples", a[int((NR + 1) / 2)], a[NR], NR }')
kill -0 "$DAEMON_PID" || fail "backupd died under control socket abuse"
figure "control socket abuse" "backupctl status $lat; $(tr '\n' ';' <"$WORK/abuse.log")"

# ---- 5 hostile status feed ----
python3 "$HERE/hostile_feed.py" "$WORK/feed.port" "$SRC/tests/fixtures/status-feed/healthy.json" &
FEEDSRV=$!
wait_for 5 test -s "$WORK/feed.port" || fail "hostile feed server did not start"
port=$(cat "$WORK/feed.port")
feed_url() {
	sed -i "s#^StatusFeedURL=.*#StatusFeedURL=http://127.0.0.1:$port/$1#" "$WORK/backupd.conf"
	kill -HUP "$DAEMON_PID"
}
feed_field() {
	"$BACKUPCTL" --socket "$WORK/control" status --json 2>/dev/null | python3 -c "import json,sys; f=json.load(sys.stdin)['feed']; print(f.get('$1'))"
}
feed_url good
i=0
while [ "$(feed_field last_good)" = None ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
good=$(feed_field last_good)
results=""
for mode in garbage big drip 500 loop; do
	before=$(feed_field last_error) # before the reload: it polls at once
	feed_url "$mode"
	t0=$(ms)
	i=0
	while [ $i -lt 400 ]; do
		e=$(feed_field last_error)
		[ "$e" != "$before" ] && [ "$e" != None ] && [ -n "$e" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	took=$(($(ms) - t0))
	kept=$([ "$(feed_field last_good)" = "$good" ] && echo kept || echo LOST)
	results="$results$mode: failed after $took ms, last good $kept ($(feed_field last_error)); "
done
kill "$FEEDSRV" 2>/dev/null || true
kill -0 "$DAEMON_PID" || fail "backupd died under a hostile feed"
figure "hostile status feed" "$results"
sed -i "s#^StatusFeedURL=.*#StatusFeedURL=#" "$WORK/backupd.conf"
kill -HUP "$DAEMON_PID"

# ---- 6 StateDirectory full and read-only ----
stop_daemon
mount -t tmpfs -o size=4m tmpfs "$WORK/state" # room for the file and its next copy
start_daemon
wait_for 60 attached_is $ALL || true
count() { journalctl --sync; journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -c "$1" || true; }
changes() { # N: N detach/attach changes, a save each
	for u in $(udids | head -n "$1"); do sim detach "$u"; sleep 6; sim attach "$u"; done
}
w0=$(count "could not write the state file")
dd if=/dev/zero of="$WORK/state/fill" bs=4k 2>/dev/null || true
changes 3
w1=$(count "could not write the state file")
rm -f "$WORK/state/fill"
t0=$(ms)
changes 1
wait_for 20 sh -c "journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -q 'written again'" || true
full="full: $((w1 - w0)) warning(s) over 3 failed saves, recovery said: $(count 'written again')"
mount -o remount,ro "$WORK/state"
changes 3
w2=$(count "could not write the state file")
mount -o remount,rw "$WORK/state"
changes 1
wait_for 20 sh -c "[ \$(journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -c 'written again') -ge 2 ]" || true
figure "StateDirectory full, read-only" "$full; read-only: $((w2 - w1)) warning(s) over 3 failed saves, recoveries said: $(count 'written again')"
stop_daemon
umount "$WORK/state" 2>/dev/null || true

echo
echo "| soak step | figure |"
echo "|---|---|"
cat "$FIG"
