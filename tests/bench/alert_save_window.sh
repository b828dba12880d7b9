#!/bin/sh
# SPDX-License-Identifier: ISC
# The window between an alert's journal entry and its alert memory in the state file (a kill
# -9 inside it repeats the entry after a restart). Not part of ctest. Runs inside a private
# journald:
#
#   sh tests/integration/journal-ns.sh sh tests/bench/alert_save_window.sh BUILD [ROUNDS=20] [BACKUPD]
#
# BUILD gives the simulator and backupctl (and backupd unless BACKUPD names another build's).
set -eu
BUILD=$1 SRC=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${2:-20}
. "$SRC/tests/integration/backupd_lib.sh"
BACKUPD=${3:-$BACKUPD}

start_sim healthy
write_config "[Probe]
PollInterval=1h"
start_daemon
U=$(udid_of healthy)
wait_for 10 ctl status "$U" || fail "healthy device is not ready after start"
sleep 6 # past the start's own save
python3 "$SRC/tests/bench/alert_save_window.py" "$WORK" "$U" "$(msgid precondition.backup_enabled)" \
	"$SIM" "$BACKUPCTL" "$ROUNDS"
