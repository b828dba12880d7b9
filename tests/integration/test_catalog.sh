#!/bin/sh
# SPDX-License-Identifier: ISC
# The catalog holds exactly the MESSAGE_IDs of daemon/backupd/journal/message_ids.c, and journalctl accepts it:
# it is compiled into a private root's catalog database and listed back from there.
# Usage: test_catalog.sh MESSAGE_IDS_LIST CATALOG
set -eu
list_ids=$1
catalog=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/usr/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/backupd.catalog"
journalctl --root="$root" --update-catalog
journalctl --root="$root" --list-catalog >"$root/listed"
"$list_ids" >"$root/ids"

fail=0
while read -r id name; do
	if ! grep -q "^$id backupd: " "$root/listed"; then
		echo "FAIL: $name ($id) has no catalog entry defined by backupd" >&2
		fail=1
	fi
	text=$(journalctl --root="$root" --dump-catalog "$id" 2>/dev/null || true)
	for header in Subject: Defined-By: Support:; do
		printf '%s\n' "$text" | grep -q "^$header" ||
			{ echo "FAIL: $name ($id) lacks $header" >&2; fail=1; }
	done
done <"$root/ids"

# and nothing in the catalog that the table does not know
for id in $(sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$catalog"); do
	grep -q "^$id " "$root/ids" || { echo "FAIL: catalog entry $id is not in message_ids.c" >&2; fail=1; }
done
count=$(wc -l <"$root/ids")
[ $fail -eq 0 ] && echo "catalog: all $count MESSAGE_IDs present"
exit $fail
