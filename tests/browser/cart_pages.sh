#!/bin/sh
# SPDX-License-Identifier: ISC
# The cart pages in a real browser: backupd and idevice-sim with a two-hub cart of 14 slots
# (the simulator's sysfs tree: 14 phones fill ports 1-1.1..1-1.7 and 1-2.1..1-2.7), two phones
# with hostile names, then cart_pages.mjs drives Debian's chromium through playwright-core.
# Usage (inside journal-ns.sh): cart_pages.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing: run scripts/deps.sh"
[ -f "$SRC/tests/browser/node_modules/playwright-core/package.json" ] ||
	fail "playwright-core missing in tests/browser/node_modules: run scripts/deps.sh"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"

PROFILES_14="healthy backup-off unlocked no-power not-charging no-wifi old-ios large-data
never-backed-up stale-backup not-paired locked-since-boot trust-pending drop"
mkdir "$WORK/sys"
# shellcheck disable=SC2086
SIM_ARGS="--sysfs $WORK/sys --seed 5" start_sim $PROFILES_14
XSS='<img src=x onerror=alert(1)>'
JA=$(python3 -c 'print("日本語の名前" * 12)') # 216 bytes
"$SIM" --ctl "$WORK/sim.ctl" set "$(udid_of no-wifi)" root DeviceName "$XSS" >/dev/null || fail "set name"
"$SIM" --ctl "$WORK/sim.ctl" set "$(udid_of old-ios)" root DeviceName "$JA" >/dev/null || fail "set name"
# [Metrics] from write_config and [HTTP] below are one section: the old name still works.
write_config "[Daemon]
SysfsRoot=$WORK/sys
[Rules]
MinimumIOS=17.0
[HTTP]
Columns=7
[Hub 1-1]
Cart=Cart 3
[Hub 1-2]
Cart=Cart 3
FirstSlot=8"
start_daemon
journalctl --sync 2>/dev/null
journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd | grep -q "\[Metrics\] is now called \[HTTP\]" ||
	fail "no deprecation note for [Metrics]"
echo "ok - [Metrics] still read as [HTTP], with a note"
ctl refresh >/dev/null 2>&1 || true

{
	echo "{\"base\": \"http://127.0.0.1:$PORT\", \"sim\": \"$SIM\", \"simctl\": \"$WORK/sim.ctl\","
	echo " \"backupctl\": \"$BACKUPCTL\", \"control\": \"$WORK/control\","
	# the phone page lists every precondition of the table, in its order
	printf ' "preconditions": [%s],\n' "$(sed -n 's/^PRECONDITION([A-Z_]*, *\([a-z_]*\)).*/"\1"/p' \
		"$SRC/include/precondition_list.h" | paste -sd, -)"
	echo " \"artifacts\": \"$BUILD/tests/browser/artifacts\", \"phones\": {"
	sep=""
	for p in $PROFILES_14; do
		printf '%s"%s": "%s"' "$sep" "$p" "$(udid_of "$p")"
		sep=", "
	done
	echo "}}"
} >"$WORK/fixture.json"
mkdir -p "$BUILD/tests/browser/artifacts"
node "$SRC/tests/browser/cart_pages.mjs" "$WORK/fixture.json" || fail "browser checks failed"
