#!/bin/sh
# SPDX-License-Identifier: ISC
# alert.c through the real journal sink into a real systemd-journald (journal-ns.sh): each
# failure and recovery of alert_script.txt makes exactly one entry with the right MESSAGE_ID,
# PRIORITY and fields, the hold-off suppresses a flap, and without a journal socket the same
# events go to stderr as readable lines.
# Usage: test_journal_alert.sh ALERT_DRIVER JOURNAL_CHECK        (root; 77 = skipped)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
driver=$1
check=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# IDs, from daemon/backupd/journal/message_ids.c
BACKUP_ENABLED=85699e7a22984e0688ac183384953538
BACKUP_RECENT=dffe370032da4e569d4e3b697d77c4ad
POWER=4b43fe55ee5a44e4ab69c8c9f8712c84
WIFI=04cbb3647b6840008ea2ccfd9189abf8
REACHABLE=ffee415c84cd4e08b701553f9c947c86
NOT_PAIRED=e84044d5cf3d440795416d58cb78420f
TRUST_PENDING=190133a30e3c497a85bd1138d69b34d8
ATTACHED=d825402343c049cb9bc9448dec651724
DETACHED=fc53a6fcc6094575ab5cf4ab038088ed
ICLOUD_SERVICE=9801754bd5c944f382ed52c92b7e52f9
FEED=b40e489f08b54b9cbe9287d84bdc5f10
USBMUXD=7e2a840478534167975b520bf8be64a7

fail=0
expect() { # expect COUNT CONDITION...
	n=$1
	shift
	"$check" --count "$n" "$work/journal.json" SYSLOG_IDENTIFIER=backupd "$@" >/dev/null || fail=1
}

if [ "${JOURNAL_NS:-}" = 1 ]; then
	# inside the namespace with journald: run, then read the journal back
	"$driver" <"$here/alert_script.txt" >"$work/driver.out" 2>"$work/driver.err"
	journalctl --sync
	i=0
	while :; do
		journalctl --no-pager -o json SYSLOG_IDENTIFIER=backupd >"$work/journal.json"
		"$check" --count 16 "$work/journal.json" >/dev/null 2>&1 && break
		i=$((i + 1))
		[ $i -lt 50 ] || break
		sleep 0.1
	done
	dev="DEVICE_UDID=UDID-A DEVICE_NAME=Cart-1 PRODUCT_TYPE=iPhone14,5 IOS_VERSION=17.5.1"
	# shellcheck disable=SC2086
	{
		expect 16
		expect 15 MESSAGE_ID
		expect 1 MESSAGE_ID=$ATTACHED PRIORITY=6 $dev
		expect 1 MESSAGE_ID=$DETACHED PRIORITY=5 $dev
		expect 1 MESSAGE_ID=$BACKUP_ENABLED PRIORITY=4 $dev PRECONDITION=backup_enabled \
			STATE=failing "REASON=iCloud Backup is off" "MESSAGE~backup_enabled failing"
		expect 1 MESSAGE_ID=$BACKUP_ENABLED PRIORITY=5 $dev STATE=ok "REASON=iCloud Backup is on"
		expect 2 MESSAGE_ID=$BACKUP_ENABLED
		expect 1 MESSAGE_ID=$BACKUP_RECENT PRIORITY=3 STATE=failing "REASON=never backed up"
		expect 1 MESSAGE_ID=$POWER PRIORITY=4 STATE=failing
		expect 1 MESSAGE_ID=$POWER # the flap within the hold-off is not announced
		expect 0 MESSAGE_ID=$WIFI  # unknown in between: no entry
		expect 1 MESSAGE_ID=$NOT_PAIRED PRIORITY=4 PRECONDITION=reachable STATE=failing \
			PROBE_STATUS=not_paired $dev
		expect 1 MESSAGE_ID=$TRUST_PENDING PRIORITY=4 PROBE_STATUS=trust_pending
		expect 1 MESSAGE_ID=$REACHABLE PRIORITY=5 STATE=ok
		expect 1 MESSAGE_ID=$USBMUXD PRIORITY=4 STATE=failing "MESSAGE~connection refused" !DEVICE_UDID
		expect 1 MESSAGE_ID=$USBMUXD PRIORITY=5 STATE=ok
		expect 1 MESSAGE_ID=$FEED PRIORITY=4 "FEED_ERROR=Could not resolve host" \
			UNREACHABLE_SINCE=1970-01-01T03:20:00Z
		expect 1 MESSAGE_ID=$FEED PRIORITY=5 STATE=ok
		expect 1 MESSAGE_ID=$ICLOUD_SERVICE PRIORITY=4 STATUS_TYPE=Outage \
			"EVENT_MESSAGE=Users may be unable to back up" SINCE=2023-11-14T22:13:20Z \
			PRECONDITION=icloud_service !DEVICE_UDID
		expect 1 MESSAGE_ID=$ICLOUD_SERVICE PRIORITY=5 STATE=ok
		expect 1 !MESSAGE_ID PRIORITY=4 "MESSAGE=a plain warning line"
	}
	if grep -q '^backupd: ' "$work/driver.err"; then
		echo "FAIL: entries went to stderr although journald was there:" >&2
		cat "$work/driver.err" >&2
		fail=1
	fi
	[ $fail -eq 0 ] || { echo "--- journal:" >&2; cat "$work/journal.json" >&2; }
	# journald dies, its socket stays: the send is refused and the entry goes to stderr
	kill "$JOURNALD_PID"
	while kill -0 "$JOURNALD_PID" 2>/dev/null; do sleep 0.05; done
	printf 'log 3 journald is gone\n' | "$driver" >/dev/null 2>"$work/driver.err"
	grep -qxF 'backupd: error: journald is gone' "$work/driver.err" ||
		{ echo "FAIL: no stderr fallback after journald died" >&2; cat "$work/driver.err" >&2; fail=1; }
	exit $fail
fi

if [ "${JOURNAL_NS:-}" = none ]; then
	# inside the namespace without journald: the same events on stderr
	"$driver" <"$here/alert_script.txt" >"$work/driver.out" 2>"$work/driver.err"
	err=$work/driver.err
	lines=$(grep -c '^backupd: ' "$err" || true)
	[ "$lines" -eq 16 ] || { echo "FAIL: $lines lines on stderr, expected 16" >&2; fail=1; }
	for line in \
		'backupd: warning: Cart-1: backup_enabled failing: iCloud Backup is off [udid=UDID-A precondition=backup_enabled state=failing]' \
		'backupd: error: Cart-1: backup_recent failing: never backed up [udid=UDID-A precondition=backup_recent state=failing]' \
		'backupd: notice: Cart-1: backup_enabled ok again: iCloud Backup is on [udid=UDID-A precondition=backup_enabled state=ok]' \
		'backupd: warning: Cart-1: unreachable (trust_pending): Trust This Computer? is on screen [udid=UDID-A precondition=reachable state=failing]' \
		'backupd: info: Cart-1 (iPhone14,5, iOS 17.5.1) attached [udid=UDID-A]' \
		'backupd: warning: a plain warning line'; do
		grep -qxF "$line" "$err" || { echo "FAIL: missing on stderr: $line" >&2; fail=1; }
	done
	[ "$(grep -c 'precondition=power' "$err")" -eq 1 ] || { echo "FAIL: power flap on stderr" >&2; fail=1; }
	[ $fail -eq 0 ] || cat "$err" >&2
	exit $fail
fi

rc=0
sh "$here/journal-ns.sh" -- sh "$0" "$driver" "$check" || rc=$?
[ $rc -eq 77 ] && exit 77
echo "with journald: $([ $rc -eq 0 ] && echo ok || echo FAILED)"
rc2=0
sh "$here/journal-ns.sh" --no-journald -- sh "$0" "$driver" "$check" || rc2=$?
echo "without journald: $([ $rc2 -eq 0 ] && echo ok || echo FAILED)"
[ $rc -eq 0 ] && [ $rc2 -eq 0 ]
