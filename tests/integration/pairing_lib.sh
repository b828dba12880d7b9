# SPDX-License-Identifier: ISC
# Shared steps of the pairing tests (sourced after backupd_lib.sh): test identities, a config
# with [Pairing], and waiting for a phone's pairing state.

IDS_DIR="$WORK/ids"
sh "$SRC/tests/sim/make_identities.sh" "$IDS_DIR" >/dev/null || fail "make_identities.sh failed"
SUP_PROFILES="$IDS_DIR/profiles"

# pairing_config EXTRA_LINES : write_config with room for pairing jobs (two RSA keys each,
# under a sanitizer) and the lines given.
pairing_config() {
	write_config "$1"
	sed -i 's/^ProbeTimeout=.*/ProbeTimeout=15s/' "$WORK/backupd.conf"
}

# pairing_of UDID : the phone's pairing state word ("-" when unknown).
pairing_of() {
	ctl status --json "$1" 2>/dev/null | python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)["devices"][0]
    print(d["pairing"]["state"], d["probe_status"])
except Exception:
    print("- -")'
}

# expect_pairing SECONDS UDID STATE [PROBE_STATUS] : waits for that pairing state (and probe).
expect_pairing() {
	want="$3${4:+ $4}"
	i=0
	while [ $i -lt $(($1 * 10)) ]; do
		got=$(pairing_of "$2")
		case "$got" in "$want"*) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "$2: pairing '$got', expected '$want'"
}
