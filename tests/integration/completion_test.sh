#!/bin/sh
# SPDX-License-Identifier: ISC
# bash completion of backupctl (completion/backupctl) against the real control server
# (ctl_fixture_server): verbs, options, --state lists, and the fleet's UDIDs and names; and
# that backupctl --help (printed from backupctl's verb table), the completion and
# backupctl(1) name the same verbs.
# Usage: completion_test.sh BACKUPCTL FIXTURE_SERVER COMPLETION FLEET_JSON MAN_PAGE
set -u
BACKUPCTL=$1 SERVER=$2 COMPLETION=$3 FLEET=$4 MAN=$5
bash_completion=/usr/share/bash-completion/bash_completion
[ -r "$bash_completion" ] || { echo "FAIL: $bash_completion missing (scripts/deps.sh installs bash-completion)"; exit 1; }
tmp=$(mktemp -d /tmp/completion-test.XXXXXX)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

"$SERVER" --socket "$tmp/fleet.sock" --fleet "$FLEET" >"$tmp/server.out" 2>"$tmp/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
until grep -q ready "$tmp/server.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 200 ] || { echo "FAIL: server did not start: $(cat "$tmp/server.log")"; exit 1; }
	sleep 0.05
done
mkdir "$tmp/bin"
ln -s "$BACKUPCTL" "$tmp/bin/backupctl"

# complete WORDS...: the candidates bash offers for the last word, one a line.
complete_words() {
	PATH="$tmp/bin:$PATH" bash -c '
		. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_backupctl backupctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$bash_completion" "$COMPLETION" "$@"
}

# expect DESCRIPTION WANT WORDS...: WANT is one of the candidates.
expect() {
	what=$1 want=$2
	shift 2
	got=$(complete_words "$@")
	if printf '%s\n' "$got" | grep -qxF -- "$want"; then pass "$what"; else fail "$what: want '$want' in: $(echo $got)"; fi
}

expect "verbs" check backupctl ""
expect "verbs: slots" slots backupctl ""
expect "verb prefix" status backupctl st
expect "action verbs" enable-backup backupctl en
expect "--all" --all backupctl --al
expect "options" --no-legend backupctl --no
# readline replaces only what follows "=" (COMP_WORDBREAKS), so candidates omit "--state=".
expect "--state values" not-ready backupctl --state=no
expect "--state list" ready,detached backupctl --state=ready,det
expect "a UDID from the running daemon" 00008110-000A1B2C3D4E5F60 backupctl --socket "$tmp/fleet.sock" status 00008110
expect "a name with spaces, quoted" 'Reception\ iPhone' backupctl --socket "$tmp/fleet.sock" status Rec
expect "a phone for pair" 00008110-000A1B2C3D4E5F60 backupctl --socket "$tmp/fleet.sock" pair 00008110

# ---- one list of verbs: --help, the completion, the man page ----
"$BACKUPCTL" --help | sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' | sort >"$tmp/help.verbs"
[ -s "$tmp/help.verbs" ] || fail "--help lists no verbs"
complete_words backupctl "" | sort >"$tmp/completion.verbs"
cmp -s "$tmp/help.verbs" "$tmp/completion.verbs" && pass "the completion offers every verb of --help" ||
	fail "verbs: --help $(echo $(cat "$tmp/help.verbs")), completion $(echo $(cat "$tmp/completion.verbs"))"
# backupctl(1): each verb has an entry under VERBS ("*name*" first on its line) and a line in
# SYNOPSIS.
sed -n '/^# VERBS/,/^# /s/^\*\([a-z][a-z-]*\)\*.*/\1/p' "$MAN" | sort >"$tmp/man.verbs"
cmp -s "$tmp/help.verbs" "$tmp/man.verbs" && pass "backupctl(1) VERBS names every verb of --help" ||
	fail "verbs: --help $(echo $(cat "$tmp/help.verbs")), backupctl(1) $(echo $(cat "$tmp/man.verbs"))"
sed -n '/^# SYNOPSIS/,/^# /s/.*\] \[\{0,1\}\*\([a-z][a-z-]*\)\*.*/\1/p' "$MAN" | sort -u >"$tmp/synopsis.verbs"
cmp -s "$tmp/help.verbs" "$tmp/synopsis.verbs" && pass "backupctl(1) SYNOPSIS has every verb" ||
	fail "verbs: --help $(echo $(cat "$tmp/help.verbs")), SYNOPSIS $(echo $(cat "$tmp/synopsis.verbs"))"

got=$(complete_words backupctl --socket "$tmp/nobody.sock" status "")
[ -z "$got" ] && pass "no daemon: no device candidates, no error" || fail "without a daemon: $got"
[ "$failures" -eq 0 ] || exit 1
