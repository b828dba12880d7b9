# SPDX-License-Identifier: ISC
# Replaces the line "@KEYS@" of a man page template with the file named by -v keys=FILE.
/^@KEYS@$/ {
	while ((getline line < keys) > 0)
		print line
	next
}
{ print }
