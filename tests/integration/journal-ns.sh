#!/bin/sh
# SPDX-License-Identifier: ISC
# journal-ns.sh: run a command against a private, real systemd-journald.
#
# Usage: journal-ns.sh [--no-journald] [--] COMMAND [ARG...]
#
# Runs COMMAND in a new private mount namespace (unshare -m) in which tmpfs is mounted over
# /run/systemd/journal, /run/log and /var/log/journal and the real /lib/systemd/systemd-journald
# is started; the host's journal is untouched. sd_journal_send() and journalctl inside the
# command talk to that journald. The harness waits until journald's sockets exist (no blind
# sleep), runs COMMAND, then stops journald and exits with COMMAND's exit status.
#   --no-journald   mount the empty tmpfs but start no journald: there is no journal socket,
#                   as when a daemon is run by hand on a machine without journald.
# In COMMAND: JOURNAL_NS=1 and JOURNALD_PID=<its pid> (kill it to test a journald that dies),
# or JOURNAL_NS=none with --no-journald; JOURNAL_STREAM is unset.
# Read what was logged with e.g.
#   journalctl --sync; journalctl --no-pager -o json SYSLOG_IDENTIFIER=backupd > out.json
# and check it with journal_check (tests/integration/journal_check.c). Nesting is allowed:
# each call makes its own namespace. Needs root (exit 77 = skipped otherwise).
set -eu

if [ "${1:-}" != "--inside-namespace" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "journal-ns.sh: needs root for unshare -m; skipping" >&2
		exit 77
	fi
	exec unshare -m --propagation private sh "$0" --inside-namespace "$@"
fi
shift

start_journald=1
if [ "${1:-}" = "--no-journald" ]; then
	start_journald=0
	shift
fi
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then
	echo "usage: journal-ns.sh [--no-journald] [--] COMMAND [ARG...]" >&2
	exit 2
fi

for dir in /run/systemd/journal /run/log /var/log/journal; do
	mkdir -p "$dir"
	mount -t tmpfs -o mode=0755 tmpfs "$dir"
done

journald_pid=""
stop_journald() {
	if [ -n "$journald_pid" ]; then
		kill "$journald_pid" 2>/dev/null || true
		wait "$journald_pid" 2>/dev/null || true
		journald_pid=""
	fi
}
trap stop_journald EXIT
trap 'stop_journald; exit 130' INT TERM

# Waits up to 10 s for journald's datagram socket and its varlink socket (used by
# journalctl --sync).
wait_for_journald() {
	i=0
	while [ $i -lt 200 ]; do
		if [ -S /run/systemd/journal/socket ] && [ -S /run/systemd/journal/io.systemd.journal ]; then
			return 0
		fi
		if ! kill -0 "$journald_pid" 2>/dev/null; then
			echo "journal-ns.sh: systemd-journald exited during start-up" >&2
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "journal-ns.sh: systemd-journald did not create its sockets within 10 s" >&2
	return 1
}

if [ $start_journald -eq 1 ]; then
	/lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &
	journald_pid=$!
	wait_for_journald
	export JOURNAL_NS=1 JOURNALD_PID="$journald_pid"
else
	export JOURNAL_NS=none
fi
unset JOURNAL_STREAM

rc=0
"$@" || rc=$?
stop_journald
exit $rc
