#!/bin/sh
# SPDX-License-Identifier: ISC
# A supervision identity backupd must not use is refused, with the file named and what is
# wrong, both by --check-config and at start (exit 78): readable by others (as ssh refuses a
# readable key), its password file readable by others, a wrong password, an expired
# certificate, a PEM without its key. A good one is described (subject, SHA-256, expiry) and
# the systemd credential is found without SupervisionPasswordFile=.
# Usage (inside journal-ns.sh): backupd_pairing_identity.sh BUILD SRC
set -eu
BUILD=$1 SRC=$2
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/pairing_lib.sh"

# refused DESCRIPTION TEXT IDENTITY [PASSWORD_FILE] : --check-config and a start both exit 78
# naming the file and saying TEXT.
refused() {
	pairing_config "[Pairing]
SupervisionIdentity=$3
SupervisionPasswordFile=${4:-}"
	rc=0
	out=$("$BACKUPD" --config "$WORK/backupd.conf" --check-config 2>&1) || rc=$?
	[ $rc = 78 ] || fail "$1: --check-config exit $rc: $out"
	case "$out" in *"$2"*) ;; *) fail "$1: --check-config said: $out" ;; esac
	rc=0
	timeout 20 "$BACKUPD" --config "$WORK/backupd.conf" >"$WORK/start.log" 2>&1 || rc=$?
	[ $rc = 78 ] || fail "$1: start exit $rc: $(cat "$WORK/start.log")"
	journalctl --sync 2>/dev/null || true
	journalctl --no-pager -o cat SYSLOG_IDENTIFIER=backupd 2>/dev/null | grep -qF "$2" ||
		grep -qF "$2" "$WORK/start.log" || fail "$1: start said nothing of it"
	echo "ok - $1: refused (exit 78) by --check-config and at start: $2"
}

cp "$IDS_DIR/org-a.p12" "$WORK/readable.p12"
chmod 0644 "$WORK/readable.p12"
refused "identity readable by others" "$WORK/readable.p12: the supervision identity can be read or written by others" \
	"$WORK/readable.p12" "$IDS_DIR/org-a.pass"
cp "$IDS_DIR/org-a.pass" "$WORK/readable.pass"
chmod 0604 "$WORK/readable.pass"
refused "password file readable by others" "$WORK/readable.pass: the supervision identity's password can be read" \
	"$IDS_DIR/org-a.p12" "$WORK/readable.pass"
refused "wrong password" "$IDS_DIR/org-a.p12: supervision identity refused: wrong password for the PKCS#12 file" \
	"$IDS_DIR/org-a.p12" "$IDS_DIR/org-b.pass"
refused "expired certificate" "$IDS_DIR/org-expired.p12: supervision identity refused: the certificate expired on 2021-01-01" \
	"$IDS_DIR/org-expired.p12" "$IDS_DIR/org-expired.pass"
refused "PEM without its key" "$IDS_DIR/org-a.crt: supervision identity refused: no private key in the PEM file" \
	"$IDS_DIR/org-a.crt"

# A good identity: described by --check-config, never a byte of the key.
pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.pem"
out=$("$BACKUPD" --config "$WORK/backupd.conf" --check-config 2>&1) || fail "good PEM refused: $out"
case "$out" in *"supervision identity: subject /O=Sim School A/CN=Sim School A Supervision Identity, SHA-256 "*", expires 20"*) ;;
*) fail "good PEM not described: $out" ;; esac
fp=$(openssl x509 -in "$IDS_DIR/org-a.crt" -noout -fingerprint -sha256 | sed 's/.*=//')
case "$out" in *"$fp"*) ;; *) fail "fingerprint $fp not in: $out" ;; esac
case "$out" in *PRIVATE*|*BEGIN*) fail "key material printed" ;; esac
echo "ok - a good identity is described by --check-config (subject, SHA-256 $fp, expiry)"

# Under systemd: the password as a credential, no SupervisionPasswordFile=.
mkdir -p "$WORK/creds"
cp "$IDS_DIR/org-a.pass" "$WORK/creds/supervision-password"
pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.p12"
CREDENTIALS_DIRECTORY="$WORK/creds" "$BACKUPD" --config "$WORK/backupd.conf" --check-config \
	>"$WORK/cred.log" 2>&1 || fail "credential not used: $(cat "$WORK/cred.log")"
echo "ok - the password from \$CREDENTIALS_DIRECTORY/supervision-password"
