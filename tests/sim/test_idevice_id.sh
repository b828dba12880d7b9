# SPDX-License-Identifier: ISC
# idevice_id -l lists exactly the fleet: the fixture profiles, then a synthesized fleet of 200.
. "$(dirname "$0")/lib.sh"

start_sim --profiles "$FIXTURES"
expected=$(for f in "$FIXTURES"/*.plist; do udid_of "$(basename "$f" .plist)"; done | sort)
listed=$(tool idevice_id -l | sort)
expect_eq "idevice_id -l lists every profile" "$listed" "$expected"
expect_eq "profile count" "$(echo "$listed" | wc -l)" "$(ls "$FIXTURES"/*.plist | wc -l)"
stop_sim

start_sim --devices 200 --seed 7
tool idevice_id -l >"$T/a"
expect_eq "200 synthesized devices listed" "$(wc -l <"$T/a")" "200"
expect_eq "200 distinct UDIDs" "$(sort -u "$T/a" | wc -l)" "200"
bad=$(grep -cvE '^([0-9a-f]{40}|[0-9A-F]{8}-[0-9A-F]{16})$' "$T/a" || true)
expect_eq "UDIDs in real formats (40 hex or 8-16)" "$bad" "0"
grep -qE '^[0-9a-f]{40}$' "$T/a" && pass "some 40-hex UDIDs" || fail "no 40-hex UDID"
grep -qE '^[0-9A-F]{8}-' "$T/a" && pass "some 8-16 UDIDs" || fail "no 8-16 UDID"
stop_sim

start_sim --devices 200 --seed 7
tool idevice_id -l >"$T/b"
expect_eq "same seed, same fleet" "$(cat "$T/b")" "$(cat "$T/a")"
stop_sim
start_sim --devices 200 --seed 8
tool idevice_id -l >"$T/c"
[ "$(cat "$T/c")" != "$(cat "$T/a")" ] && pass "another seed, another fleet" || fail "seed ignored"
finish
