#!/bin/sh
# SPDX-License-Identifier: ISC
# The shipped rules pass `promtool check rules` and the unit tests of backupd.rules.test.yml.in,
# whose expected fix annotations are taken from the precondition table itself: a rule whose
# fix differs from the table (daemon/backupd/precond/) fails, and so does a pairing alert
# whose states are not the table's unpaired ones. Every precondition of the table gets a
# phone failing it and the BackupdPhoneNotReady alert it must raise, its fix read from the
# backupd_precondition_info series backupd exports (but backup_recent and icloud_service,
# which have alerts of their own).
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
# The pairing alert names exactly the states in which the table says a phone cannot be read.
unpaired=$("$fixes" --unpaired)
grep -qF "backupd_device_pairing{state=~\"$unpaired\"}" "$rules" ||
	{ echo "FAIL: BackupdPhonesCannotPair does not match the unpaired states $unpaired" >&2; fail=1; }
[ $fail -eq 0 ] || exit 1

# One phone per precondition: its series, and the alert expected of it.
own_alert="backup_recent icloud_service"
while IFS="$tab" read -r name _ fix; do
	q=$(printf '%s' "$fix" | sed 's/\\/\\\\/g; s/"/\\"/g')       # YAML "..." and PromQL "..."
	sq=$(printf '%s' "$q" | sed "s/'/''/g")                        # inside YAML '...'
	at='job="backupd",instance="a:9816",cart="cart-a",site="north"'
	cat >>"$work/phones" <<-EOF
	      - series: 'backupd_precondition_info{$at,precondition="$name",blocker="b",fix="$sq"}'
	        values: '1x90'
	EOF
	case " $own_alert " in *" $name "*) continue ;; esac
	cat >>"$work/phones" <<-EOF
	      - series: 'backupd_device_info{$at,udid="u-$name",name="Phone $name",model="iPhone 12",product_type="iPhone13,2",ios_version="17.5"}'
	        values: '1x90'
	      - series: 'backupd_device_attached{$at,udid="u-$name"}'
	        values: '1x90'
	      - series: 'backupd_device_precondition{$at,udid="u-$name",precondition="$name",state="failing"}'
	        values: '1x90'
	EOF
	cat >>"$work/alerts" <<-EOF
	          - exp_labels:
	              severity: warning
	              precondition: $name
	              job: "backupd"
	              instance: "a:9816"
	              cart: "cart-a"
	              site: "north"
	              udid: "u-$name"
	              name: "Phone $name"
	              model: "iPhone 12"
	              fix: "$q"
	            exp_annotations:
	              summary: "Phone $name on cart cart-a will not back up: $name"
	              description: "backupd on a:9816 has reported the precondition $name failing on Phone $name (iPhone 12, u-$name) for over an hour, so its iCloud backup does not run. \`backupctl status u-$name\` on that host says why."
	              fix: "$q"
	EOF
done <"$work/fixes"

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
		if (line == "@PRECONDITION_PHONES@" || line == "@PRECONDITION_ALERTS@") {
			file = line == "@PRECONDITION_PHONES@" ? phones : alerts
			while ((getline part < file) > 0)
				print part
			next
		}
		print line
	}' phones="$work/phones" alerts="$work/alerts" "$work/fixes" "$template" >"$work/rules.test.yml"
if grep -n '@[A-Z_a-z]*@' "$work/rules.test.yml"; then
	echo "FAIL: placeholders left that the table does not fill" >&2
	exit 1
fi
promtool test rules "$work/rules.test.yml"
