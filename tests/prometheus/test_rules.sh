#!/bin/sh
# SPDX-License-Identifier: ISC
# The shipped rules pass `promtool check rules` and the unit tests of backupd.rules.test.yml.in,
# whose expected fix annotations are taken from the precondition table itself: a rule whose
# fix differs from daemon/common/preconditions.c fails, and so does a precondition that the
# tests do not cover, or a pairing alert whose states are not the table's unpaired ones.
# Usage: test_rules.sh PRECONDITION_FIXES RULES TEST_TEMPLATE
set -eu
fixes=$1
rules=$2
template=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check rules "$rules"

"$fixes" >"$work/fixes"
[ -s "$work/fixes" ] || { echo "FAIL: $fixes printed no precondition" >&2; exit 1; }
fail=0
tab=$(printf '\t')
while IFS="$tab" read -r name _ _; do
	grep -qF "@FIX_${name}@" "$template" ||
		{ echo "FAIL: no rule test expects the fix of precondition $name" >&2; fail=1; }
done <"$work/fixes"
# The pairing alert names exactly the states in which the table says a phone cannot be read.
unpaired=$("$fixes" --unpaired)
grep -qF "backupd_device_pairing{state=~\"$unpaired\"}" "$rules" ||
	{ echo "FAIL: BackupdPhonesCannotPair does not match the unpaired states $unpaired" >&2; fail=1; }
[ $fail -eq 0 ] || exit 1

# Fill in the placeholders, the fixes as YAML double-quoted string contents.
awk -F "$tab" -v rules="$rules" '
	NR == FNR {
		fix = $3
		gsub(/\\/, "\\\\", fix)
		gsub(/"/, "\\\"", fix)
		text["@FIX_" $1 "@"] = fix
		next
	}
	{
		line = $0
		for (key in text)
			while ((at = index(line, key)) > 0)
				line = substr(line, 1, at - 1) text[key] substr(line, at + length(key))
		if ((at = index(line, "@RULES@")) > 0)
			line = substr(line, 1, at - 1) rules substr(line, at + 7)
		print line
	}' "$work/fixes" "$template" >"$work/rules.test.yml"
if grep -n '@[A-Z_a-z]*@' "$work/rules.test.yml"; then
	echo "FAIL: placeholders left that the table does not fill" >&2
	exit 1
fi
promtool test rules "$work/rules.test.yml"
