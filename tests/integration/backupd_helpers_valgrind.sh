#!/bin/sh
# SPDX-License-Identifier: ISC
# The daemon's probe helpers under valgrind (issue 12): the daemon runs every helper through
# a wrapper that execs valgrind on probe_helper_plain (the helper's code without sanitizers),
# probes phones of every kind a few times, and valgrind must report no error in any helper.
# Leaks are not judged: helpers end by SIGKILL (a hung phone must not hold a helper), so
# valgrind never reaches its leak check. Usage (inside journal-ns.sh): BUILD SRC VALGRIND HELPER
set -eu
BUILD=$1 SRC=$2 VALGRIND=$3 HELPER=$4
. "$SRC/tests/integration/backupd_lib.sh"

cat >"$WORK/helper.sh" <<EOW
#!/bin/sh
exec "$VALGRIND" --quiet --error-exitcode=99 --track-origins=yes --log-file="$WORK/vg.%p" \\
	"$HELPER" "\$@"
EOW
chmod +x "$WORK/helper.sh"
export BACKUPD_HELPER_EXE="$WORK/helper.sh"

start_sim healthy backup-off large-data no-wifi not-paired malformed drop old-ios never-backed-up
write_config "[Probe]
ProbeTimeout=30s
Workers=2"
start_daemon
all_probed() {
	ctl status --json | python3 -c 'import json,sys; d=json.load(sys.stdin)["devices"]; sys.exit(0 if d and all(x["probed_at"] for x in d) else 1)'
}
wait_for 120 all_probed || fail "not every phone probed under valgrind"
ctl refresh >/dev/null || true
ctl refresh >/dev/null || true
n=$(ls "$WORK"/vg.* 2>/dev/null | wc -l)
[ "$n" -ge 2 ] || fail "valgrind ran $n helpers, want at least 2"
errors=$(cat "$WORK"/vg.* | grep -cE '^==[0-9]+== (Invalid|Conditional jump|Use of uninitialised|Syscall param|Mismatched|Source and destination|Jump to)' || true)
if [ "$errors" != 0 ]; then
	cat "$WORK"/vg.* | head -n 80 >&2
	fail "valgrind found $errors error(s) in the probe helpers"
fi
echo "ok - $n probe helpers under valgrind, every phone probed 3 times: no valgrind error"
