# SPDX-License-Identifier: ISC
# Turns conf/backupd.conf into the OPTIONS list of backupd.conf(5): each [Section] becomes a
# subsection, each commented default ("#Key=value") an entry whose text is the comment
# block above it. Stops at the per-device example, which the man page describes itself.
# Usage: awk -f conf2scd.awk conf/backupd.conf
function escape(text) {
	gsub(/\\/, "\\\\", text)
	gsub(/\*/, "\\*", text)
	gsub(/_/, "\\_", text)
	return text
}
/^#?\[Device/ { exit }
/^\[[A-Za-z]+\]$/ { section = $0; printf "## %s\n\n", section; text = ""; next }
section == "" { next }
/^#?[A-Za-z][A-Za-z0-9]*=/ {
	line = $0
	sub(/^#/, "", line)
	key = line; sub(/=.*/, "", key)
	value = line; sub(/^[^=]*=/, "", value)
	printf "*%s=*%s\n", key, value == "" ? "" : escape(value)
	printf "\t%s\n\n", text == "" ? "(undocumented)" : text
	text = ""
	next
}
/^#/ {
	line = $0
	sub(/^# ?/, "", line)
	text = text == "" ? escape(line) : text " " escape(line)
	next
}
/^[ \t]*$/ { text = ""; next }
