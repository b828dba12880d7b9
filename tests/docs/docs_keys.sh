#!/bin/sh
# SPDX-License-Identifier: ISC
# Drift test: every key of the config key table (as config_keys_list prints it) is in
# conf/backupd.conf, commented with its default under its [Section], and in the built
# backupd.conf(5) with a text; and the file documents no key the table lacks.
# Usage: docs_keys.sh CONFIG_KEYS_LIST CONF MANPAGE
set -eu
[ $# -eq 3 ] || { echo "usage: docs_keys.sh CONFIG_KEYS_LIST CONF MANPAGE" >&2; exit 2; }
lister=$1 conf=$2 man=$3
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

table=$("$lister")
[ -n "$table" ] || { echo "FAIL: config_keys_list printed no keys"; exit 1; }
documented=$(awk '
	/^#?\[Device/ { exit }
	/^\[[A-Za-z]+\]$/ { section = substr($0, 2, length($0) - 2); next }
	section != "" && /^#?[A-Za-z][A-Za-z0-9]*=/ { key = $0; sub(/^#/, "", key); sub(/=.*/, "", key); print section, key }
' "$conf")

echo "$table" | while read -r section key; do
	echo "$documented" | grep -qx "$section $key" ||
		echo "FAIL: [$section] $key is in the key table but not in $conf (add \"#$key=DEFAULT\" with a comment above it under [$section])"
	# scdoc writes "*Key=*" as \fBKey=\fR, under the section's ".SS [Section]".
	awk -v section="[$section]" -v key="\\\\fB$key=\\\\fR" '
		/^\.SS / { in_section = (substr($0, 5) == section) }
		in_section && index($0, key) == 1 { found = 1 }
		END { exit !found }' "$man" ||
		echo "FAIL: [$section] $key is in the key table but not in $man"
done >"${TMPDIR:-/tmp}/docs_keys.$$"
while read -r line; do fail "${line#FAIL: }"; done <"${TMPDIR:-/tmp}/docs_keys.$$"
rm -f "${TMPDIR:-/tmp}/docs_keys.$$"

for pair in $(echo "$documented" | tr ' ' ':'); do
	echo "$table" | grep -qx "$(echo "$pair" | tr ':' ' ')" ||
		fail "$conf documents [${pair%%:*}] ${pair#*:}, which the key table does not have"
done
if grep -q "(undocumented)" "$man"; then
	fail "$man has keys without a comment in $conf: $(grep -B1 '(undocumented)' "$man" | grep -o 'fB[A-Za-z]*=' | tr '\n' ' ')"
fi
n=$(echo "$table" | wc -l)
[ "$failures" -eq 0 ] || { echo "$failures problem(s) among $n keys"; exit 1; }
echo "all $n keys of the key table are in $conf and $man"
