#!/bin/sh
# SPDX-License-Identifier: ISC
# Pairing end to end (issue 20): backupd holds the supervision identity, its helpers pair with
# the real libimobiledevice against idevice-sim, each outcome has its state, reason and next
# step in status and the journal, and the records backupd saves are accepted by the real
# idevicepair and ideviceinfo. Usage (inside journal-ns.sh): backupd_pairing.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/pairing_lib.sh"

A01=00008110-0000000000000A01 # supervised by A, host pairing prohibited
A02=00008110-0000000000000A02 # supervised by A, host pairing allowed
A03=00008110-0000000000000A03 # unsupervised: Trust dialog
A04=00008110-0000000000000A04 # supervised by A, prohibited, passcode-locked
A05=00008110-0000000000000A05 # supervised by B, prohibited
A06=00008110-0000000000000A06 # supervised by A, usbmuxd holds a record the phone forgot
PAIR_ID=$(msgid action.pair)
EXPIRED_ID=$(msgid pairing.expired)

# pair_now UDID : backupctl pair; its output in OUT. Exit 4 is a pairing that failed; 0 or 1
# say only whether the phone is ready for backup afterwards.
pair_now() {
	rc=0
	OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" pair "$1" 2>&1) || rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || fail "backupctl pair $1: exit $rc: $OUT"
}

launch_sim --profiles "$SUP_PROFILES"

# --- without the identity: the prohibited phones say so, with the next step ---
pairing_config ""
start_daemon
expect_pairing 30 "$A01" prohibited not_paired
ctl status "$A01" | grep -q "Next step: set \[Pairing\] SupervisionIdentity=" ||
	fail "no next step for a prohibited phone: $(ctl status "$A01")"
echo "ok - prohibited: MCProtected without the identity, next step names SupervisionIdentity="
stop_daemon

# --- with organisation A's identity: supervised pairing without any dialog ---
pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.p12
SupervisionPasswordFile=$IDS_DIR/org-a.pass
[Actions]
Allow=pair unpair"
start_daemon
journalctl --sync 2>/dev/null || true
journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd >"$WORK/journal.txt" 2>/dev/null
grep -q "supervision identity: subject /O=Sim School A/CN=Sim School A Supervision Identity, SHA-256 [0-9A-F:]\{95\}, expires 20[0-9-]*" \
	"$WORK/journal.txt" || fail "the identity loaded is not described"
grep -q "PRIVATE\|BEGIN" "$WORK/journal.txt" "$WORK/daemon.log" && fail "key material in the log"
echo "ok - identity described (subject, SHA-256, expiry), no key material logged"
expect_pairing 60 "$A01" paired-supervised ok
expect_pairing 60 "$A02" paired-supervised ok
"$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep -q "^$A01:.*dialog=none" ||
	fail "a dialog was shown on the supervised phone"
expect_entries 1 MESSAGE_ID="$PAIR_ID" DEVICE_UDID="$A01" ACTION_UID=auto STATE=done
echo "ok - paired (supervised): prohibited and allowed phones of A, no dialog, journaled as auto"

# The record backupd saved is what the real tools use.
idevicepair -u "$A01" validate | grep -q SUCCESS || fail "idevicepair validate refused the record"
ideviceinfo -u "$A01" -k DeviceName | grep -q "Cart A prohibited" ||
	fail "ideviceinfo could not read with the record"
echo "ok - idevicepair validate and ideviceinfo accept the record backupd saved"

# --- expired record: announced once, paired again by itself ---
expect_pairing 60 "$A06" paired-supervised ok
expect_entries 1 MESSAGE_ID="$EXPIRED_ID" DEVICE_UDID="$A06" STATE=expired
# 30 days unseen: the phone forgot the host, and no session of before is open.
sim expire "$A01"
sim detach "$A01"
sim attach "$A01"
expect_entries 1 MESSAGE_ID="$EXPIRED_ID" DEVICE_UDID="$A01" STATE=expired
expect_pairing 60 "$A01" paired-supervised ok
ctl refresh >/dev/null || true
ctl refresh >/dev/null || true
expect_entries 1 MESSAGE_ID="$EXPIRED_ID" DEVICE_UDID="$A01" STATE=expired
echo "ok - record expired (InvalidHostID): announced once, re-paired with the identity"

# --- another organisation's phone, a locked one ---
expect_pairing 60 "$A05" not-supervisor
expect_pairing 60 "$A04" locked
"$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep "^$A04:" | grep -q ":paired:" &&
	fail "a record was saved for a locked phone"
sim set "$A04" - PasswordProtected false
pair_now "$A04"
case "$OUT" in *"paired (supervised)"*) ;; *) fail "backupctl pair said: $OUT" ;; esac
expect_entries 1 MESSAGE_ID="$PAIR_ID" DEVICE_UDID="$A04" ACTION_UID=0 STATE=done
echo "ok - not-supervisor (B's phone); locked: nothing saved, paired once unlocked (journaled uid 0)"

# --- unsupervised phone: the Trust dialog, Don't Trust, Trust ---
expect_pairing 60 "$A03" waiting-for-trust
sim distrust "$A03"
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" pair "$A03" 2>&1) || rc=$?
[ $rc = 4 ] || fail "backupctl pair of a denied phone: exit $rc: $OUT"
case "$OUT" in *"Don't Trust"*) ;; *) fail "denied not said: $OUT" ;; esac
expect_pairing 10 "$A03" denied
sim detach "$A03"
sim attach "$A03"
wait_for 30 sh -c "\"$SIM\" --ctl \"$WORK/sim.ctl\" list | tr ' ' '\n' | grep -q '^$A03:.*dialog=shown'" ||
	fail "no dialog again after the replug"
sim trust "$A03"
pair_now "$A03"
case "$OUT" in *"paired (trusted)"*) ;; *) fail "backupctl pair said: $OUT" ;; esac
expect_pairing 30 "$A03" paired-trusted ok
echo "ok - waiting for Trust, denied (until replugged), paired (trusted)"

# --- unpair removes the record ---
rc=0
OUT=$(timeout 60 "$BACKUPCTL" --socket "$WORK/control" unpair "$A03" 2>&1) || rc=$?
[ $rc != 4 ] || fail "unpair: $OUT"
"$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep "^$A03:" | grep -q ":unpaired:" ||
	fail "record still in usbmuxd after unpair"
echo "ok - unpair removes the record"
