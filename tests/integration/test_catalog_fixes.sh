#!/bin/sh
# SPDX-License-Identifier: ISC
# Each precondition's catalog entry gives the fix of daemon/common/preconditions.c word for
# word ("To fix it: FIX", line breaks free), so `journalctl -x` says what backupctl and the
# Prometheus rules say. Usage: test_catalog_fixes.sh PRECONDITION_FIXES CATALOG
set -eu
fixes=$1
catalog=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fixes" >"$work/fixes"
[ -s "$work/fixes" ] || { echo "FAIL: $fixes printed no precondition" >&2; exit 1; }

fail=0
tab=$(printf '\t')
while IFS="$tab" read -r name id fix; do
	# the entry's text with every run of white space made one space
	awk -v id="$id" '/^-- / { on = ($2 == id); next } on' "$catalog" | tr -s ' \t\n' '   ' >"$work/entry"
	if [ ! -s "$work/entry" ]; then
		echo "FAIL: $name: no catalog entry for $id" >&2
		fail=1
	elif ! grep -qF -- "To fix it: $fix" "$work/entry"; then
		echo "FAIL: $name: catalog entry $id lacks \"To fix it: $fix\"" >&2
		fail=1
	fi
done <"$work/fixes"
[ $fail -eq 0 ] && echo "catalog: the fix of all $(wc -l <"$work/fixes") preconditions present"
exit $fail
