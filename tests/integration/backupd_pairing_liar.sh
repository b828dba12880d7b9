#!/bin/sh
# SPDX-License-Identifier: ISC
# A subverted helper (lying_helper with LIAR_PAIR) tries to get more from the supervision
# identity than one signature over one pairing challenge: a second challenge in the same
# pairing, a property list (a configuration profile) to sign, a challenge in answer to a probe.
# Each time the daemon refuses, journals why and replaces the helper; the one signature it gave
# is a PKCS#7 SignedData over exactly the challenge, verifiable with the identity's certificate.
# Usage (inside journal-ns.sh): backupd_pairing_liar.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/pairing_lib.sh"

A01=00008110-0000000000000A01
launch_sim --profile "$SUP_PROFILES/supervised-a-prohibited.plist"
pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.pem
AutoPair=no
[Actions]
Allow=pair"
export LIAR_REAL_HELPER="$BACKUPD" LIAR_UDIDS="$A01"

# liar MODE : a daemon whose helpers all lie that way; LOG: what they were given.
# logged TEXT : the daemon's journal (or stderr) says TEXT.
logged() {
	journalctl --sync 2>/dev/null || true
	{ journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd 2>/dev/null; cat "$WORK/daemon.log"; } |
		grep -qF "$1"
}

liar() {
	LOG="$WORK/liar-$1"
	export LIAR_LOG="$LOG" LIAR_PAIR="$1"
	BACKUPD_HELPER_EXE="$BUILD/tests/integration/lying_helper" start_daemon
	[ "$1" = probe ] || wait_for 20 sh -c "\"$BACKUPCTL\" --socket \"$WORK/control\" status --json $A01 | grep -q not_paired" ||
		fail "$1: phone not seen"
}

liar second
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" pair "$A01" 2>&1) || rc=$?
[ $rc = 4 ] || fail "second signature: backupctl exit $rc: $OUT"
case "$OUT" in *"helper running it was lost"*"asked for a second signature"*) ;;
*) fail "second signature: $OUT" ;; esac
grep -q "^signed 1$" "$LOG" || fail "the first, good challenge was not signed: $(cat "$LOG")"
grep -q "^signed 2$" "$LOG" && fail "a second signature was given"
logged "asked for a second signature in one pairing; helper replaced" ||
	fail "the refusal is not logged"
openssl cms -verify -binary -noverify -inform DER -in "$LOG.sig1" -certfile "$IDS_DIR/org-a.crt" \
	-out "$WORK/signed-content" 2>/dev/null || fail "the signature does not verify"
cmp -s "$WORK/signed-content" "$LOG.challenge1" || fail "the signature is not over the challenge"
openssl cms -cmsout -print -inform DER -in "$LOG.sig1" | grep -q "Sim School A" ||
	fail "the signer certificate is not in the signature"
echo "ok - second signature refused, helper replaced; the first is PKCS#7 over the challenge, signer included"
stop_daemon

liar text
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" pair "$A01" 2>&1) || rc=$?
[ $rc = 4 ] || fail "text: backupctl exit $rc: $OUT"
grep -qs "^signed" "$LOG" && fail "a property list was signed"
logged "not a pairing challenge; helper replaced" ||
	fail "the refusal of a property list is not logged"
echo "ok - a property list to sign is refused, helper replaced"
stop_daemon

liar probe
wait_for 30 logged "asked for a signature outside a supervised pairing" ||
	fail "a challenge in answer to a probe was not refused"
grep -qs "^signed" "$LOG" && fail "a probe got a signature"
echo "ok - a challenge outside a pairing is refused, helper replaced"
