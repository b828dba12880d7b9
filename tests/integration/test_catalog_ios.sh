#!/bin/sh
# SPDX-License-Identifier: ISC
# The catalog entry of precondition.ios_current tells what to install: it shows REASON (which
# names the version to go to), explains every IOS_* field alert.c writes on its entries (the
# update, the exploited CVEs it fixes), and says how to update. journalctl accepts it.
# Usage: test_catalog_ios.sh MESSAGE_IDS_LIST CATALOG ALERT_C
set -eu
list_ids=$1
catalog=$2
alert_c=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

id=$("$list_ids" | awk '$2 == "precondition.ios_current" { print $1 }')
[ -n "$id" ] || { echo "FAIL: no MESSAGE_ID for precondition.ios_current" >&2; exit 1; }
mkdir -p "$root/usr/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/backupd.catalog"
journalctl --root="$root" --update-catalog
journalctl --root="$root" --dump-catalog "$id" | tr -s ' \t\n' '   ' >"$root/entry"

fields=$(grep -o '"IOS_[A-Z_]*=' "$alert_c" | tr -d '"=' | sort -u)
[ -n "$fields" ] || { echo "FAIL: alert.c writes no IOS_* field" >&2; exit 1; }
fail=0
for want in @REASON@ "REASON names the version to install" "Settings > General > Software Update" $fields; do
	grep -qF -- "$want" "$root/entry" ||
		{ echo "FAIL: the ios_current entry ($id) does not mention \"$want\"" >&2; fail=1; }
done
[ $fail -eq 0 ] && echo "catalog: the ios_current entry names the update and explains" $fields
exit $fail
