#!/bin/sh
# SPDX-License-Identifier: ISC
# An alert command for the tests (@WORK@ is replaced by the test's directory): records each
# run's BACKUPD_* variables and stdin in @WORK@/runs/ID.env and ID.json, then behaves as the
# files @WORK@/mode.fail (stderr and exit 3) and @WORK@/mode.hang (a child that sleeps; its
# pid in @WORK@/hung.pid) say.
n=$(date +%s%N)-$$
env | grep '^BACKUPD_' | sort >"@WORK@/runs/$n.env.tmp"
cat >"@WORK@/runs/$n.json.tmp"
mv "@WORK@/runs/$n.json.tmp" "@WORK@/runs/$n.json"
mv "@WORK@/runs/$n.env.tmp" "@WORK@/runs/$n.env"
if [ -e "@WORK@/mode.fail" ]; then
	echo "smtp: connection refused by mail.example.org" >&2
	exit 3
fi
if [ -e "@WORK@/mode.hang" ]; then
	sleep 600 &
	echo $! >"@WORK@/hung.pid"
	wait
fi
exit 0
