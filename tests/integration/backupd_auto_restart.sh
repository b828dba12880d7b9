#!/bin/sh
# SPDX-License-Identifier: ISC
# AutoRestart=stale 02:00-05:00 through the daemon with a moved clock (BACKUPD_CLOCK_OFFSET_FILE,
# TZ=UTC): five phones that are ready but for a 30-day-old backup are restarted by backupd
# itself (journaled with ACTION_UID=auto), only inside the window, never more than
# AutoRestartMax=2 away at once, once per phone per day (also across a restart of backupd),
# and again the next day. A phone with a fresh backup and a stale one without Wi-Fi (a reason
# a restart does not fix) are not touched; once the latter has Wi-Fi, it is restarted only
# after an hour of being ready but for its backup.
# Usage (inside journal-ns.sh): backupd_auto_restart.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
export TZ=UTC
export BACKUPD_CLOCK_OFFSET_FILE="$WORK/offset"
RESTART_ID=$(msgid action.restart)

# Moves the daemon's clock to HH:MM UTC of the day DAYS after today (backupd re-reads the
# offset at most once a second).
clock_to() { # DAYS HH MM
	now=$(date +%s)
	target=$(((now / 86400 + $1) * 86400 + $2 * 3600 + $3 * 60))
	echo $((target - now)) >"$WORK/offset"
	sleep 1.2
}

STALE=""
for i in 1 2 3 4 5; do
	u=00008120-001A2B3C4D5E6FA$i
	sed -e "s/00008120-001A2B3C4D5E6F0A/$u/" -e "s/Sim stale-backup/Sim stale $i/" \
		"$PROFILES/stale-backup.plist" >"$WORK/stale$i.plist"
	STALE="$STALE $u"
done
NOWIFI=00008120-001A2B3C4D5E6FB0
sed -e "s/00008120-001A2B3C4D5E6F0A/$NOWIFI/" -e "s/Sim stale-backup/Sim stale no-wifi/" \
	"$PROFILES/stale-backup.plist" >"$WORK/nowifi.plist"
args=""
for i in 1 2 3 4 5; do args="$args --profile $WORK/stale$i.plist"; done
# shellcheck disable=SC2086
launch_sim $args --profile "$WORK/nowifi.plist" --profile "$PROFILES/healthy.plist"
FRESH=$(udid_of healthy)
sim wifi "$NOWIFI" -
for u in $STALE; do sim restartdelay "$u" 1500; done

clock_to 1 0 0
write_config "[Rules]
MaxBackupAge=7d
[Actions]
AutoRestart=stale 02:00-05:00
AutoRestartMax=2
RestartTimeout=60s"
start_daemon
probed() { [ "$(ctl --no-legend status | awk -F '\t' '$6 != "unknown"' | wc -l)" = 7 ]; }
wait_for 30 probed || fail "not every phone probed: $(ctl --no-legend status)"

# restarts_of UDID: restarts backupd started by itself on that phone.
restarts_of() { journal_count MESSAGE_ID="$RESTART_ID" DEVICE_UDID="$1" ACTION_UID=auto STATE=restarting; }
all_restarts() { journal_count MESSAGE_ID="$RESTART_ID" ACTION_UID=auto STATE=restarting; }
# A verdict change makes backupd scan at once; after it, nothing new may have started. The
# no-Wi-Fi phone is ready but for its backup for a moment: too short to be restarted.
nudge_and_check() { # WANT_TOTAL WHAT
	sim wifi "$NOWIFI" SimNet
	ctl refresh "$NOWIFI" >/dev/null || true
	sim wifi "$NOWIFI" -
	ctl refresh "$NOWIFI" >/dev/null || true
	sleep 2
	[ "$(all_restarts)" = "$1" ] || fail "$2: $(all_restarts) automatic restarts, want $1"
}

# 01:30: every stale phone has been ready but for its backup for 90 minutes, but the window
# has not opened.
clock_to 1 1 30
nudge_and_check 0 "at 01:30, before the window"
echo "ok - outside the window nothing is restarted"

clock_to 1 2 30
backs() { [ "$(journal_count MESSAGE_ID="$RESTART_ID" ACTION_UID=auto STATE=back)" = "$1" ]; }
wait_for 90 backs 5 || fail "not all five stale phones restarted and back"
for u in $STALE; do
	[ "$(restarts_of "$u")" = 1 ] || fail "$u restarted $(restarts_of "$u") times"
done
[ "$(restarts_of "$FRESH")" = 0 ] || fail "a phone with a fresh backup was restarted"
[ "$(restarts_of "$NOWIFI")" = 0 ] || fail "a phone without Wi-Fi was restarted"
echo "ok - inside the window each stale, otherwise ready phone is restarted once"

# At most two away at once: count restarting (+1) and back (-1) entries in journal order.
journalctl --sync 2>/dev/null || true
most=$(journalctl --no-pager -o json MESSAGE_ID="$RESTART_ID" ACTION_UID=auto | python3 -c '
import json, sys
away = most = 0
for line in sys.stdin:
    state = json.loads(line).get("STATE")
    away += {"restarting": 1, "back": -1}.get(state, 0)
    most = max(most, away)
print(most)')
[ "$most" = 2 ] || fail "at most $most phones away at once, want exactly AutoRestartMax=2"
echo "ok - never more than AutoRestartMax phones away at once"

nudge_and_check 5 "later the same day"
stop_daemon
start_daemon
wait_for 30 probed || fail "not every phone probed after restarting backupd"
# An hour later (still the same window): they have wanted it long enough again.
clock_to 1 3 40
nudge_and_check 5 "the same day after a restart of backupd"
echo "ok - once per phone per day, also across a restart of backupd"

clock_to 2 3 0
wait_for 90 backs 10 || fail "not restarted again the next day"
for u in $STALE; do
	[ "$(restarts_of "$u")" = 2 ] || fail "$u restarted $(restarts_of "$u") times over two days"
done
echo "ok - the next day's window restarts them again"

# The no-Wi-Fi phone gets Wi-Fi: ready but for its old backup from now on. It is given an
# hour to back up by itself before it is restarted.
sim wifi "$NOWIFI" SimNet
ctl refresh "$NOWIFI" >/dev/null || true
sleep 2
[ "$(restarts_of "$NOWIFI")" = 0 ] || fail "restarted at once when it became otherwise ready"
clock_to 2 3 50
sleep 11 # past the periodic scan (every 10 s)
[ "$(restarts_of "$NOWIFI")" = 0 ] || fail "restarted 50 minutes after it became otherwise ready"
clock_to 2 4 5
wait_for 30 backs 11 || fail "not restarted an hour after it became otherwise ready"
[ "$(restarts_of "$NOWIFI")" = 1 ] || fail "no-Wi-Fi phone: $(restarts_of "$NOWIFI") restarts"
echo "ok - a phone that just became otherwise ready is restarted only after an hour"
stop_daemon
echo "all passed"
