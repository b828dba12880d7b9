# SPDX-License-Identifier: ISC
# The simulator's check of a supervised host's ChallengeResponse, through the real
# libimobiledevice (idevice-sim-pair signs with OpenSSL): SHA-1 and SHA-256 accepted; another
# digest, another organisation's key, other content, detached content refused as a real
# phone refuses a host without the identity; a locked phone accepts without an EscrowBag.
. "$(dirname "$0")/lib.sh"
make_ids
start_sim --profiles "$IDS/profiles"
: "${SIM_PAIR:?path of idevice-sim-pair}"
a1=00008110-0000000000000A01 # supervised by A, host pairing prohibited
a2=00008110-0000000000000A02 # supervised by A, host pairing allowed
a4=00008110-0000000000000A04 # supervised by A, prohibited, locked
a5=00008110-0000000000000A05 # supervised by B, prohibited
A=$IDS/org-a.pem B=$IDS/org-b.pem
spair() { tool "$SIM_PAIR" "$@" 2>&1 || true; }
trusts() { ctl list | tr ' ' '\n' | grep "^$1:" | sed 's/.*:trusts=\([0-9]*\):.*/\1/'; }

expect_eq "SHA-1" "$(spair "$a1" "$A" "$A" sha1 good)" "paired escrow=yes"
expect_eq "SHA-256" "$(spair "$a1" "$A" "$A" sha256 good)" "paired escrow=yes"
expect_eq "both hosts trusted" "$(trusts "$a1")" "2"
expect_eq "SHA-512 refused" "$(spair "$a1" "$A" "$A" sha512 good)" "error MCProtected"
expect_eq "signed by B refused" "$(spair "$a1" "$A" "$B" sha256 good)" "error MCProtected"
expect_eq "other content refused" "$(spair "$a1" "$A" "$A" sha256 other-content)" "error MCProtected"
expect_eq "detached refused" "$(spair "$a1" "$A" "$A" sha256 detached)" "error MCProtected"
expect_eq "no host trusted by a refusal" "$(trusts "$a1")" "2"
expect_eq "B's certificate: no challenge" "$(spair "$a1" "$B" "$B" sha256 good)" "error MCProtected"
expect_eq "A's certificate on B's phone" "$(spair "$a5" "$A" "$A" sha256 good)" "error MCProtected"
expect_eq "B on B's phone" "$(spair "$a5" "$B" "$B" sha1 good)" "paired escrow=yes"
expect_eq "allowed phone, bad signature: Trust dialog" \
	"$(spair "$a2" "$A" "$B" sha256 good)" "error PairingDialogResponsePending"
expect_eq "allowed phone, good signature" "$(spair "$a2" "$A" "$A" sha256 good)" "paired escrow=yes"
expect_eq "locked: accepted, no EscrowBag" "$(spair "$a4" "$A" "$A" sha256 good)" "paired escrow=no"
expect_eq "locked: nothing trusted" "$(trusts "$a4")" "0"
ctl set "$a4" - PasswordProtected false >/dev/null
expect_eq "unlocked: EscrowBag" "$(spair "$a4" "$A" "$A" sha256 good)" "paired escrow=yes"
expect_contains "refusals explained on stderr" "$(cat "$T/sim.err")" \
	"ChallengeResponse refused: signature does not verify with the supervising certificate"
finish
