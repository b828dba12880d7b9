#!/bin/sh
# SPDX-License-Identifier: ISC
# Test supervision identities and the profiles of the phones they supervise, made with the
# openssl tool at test time (nothing secret is committed). usage: make_identities.sh OUTDIR
#
# OUTDIR/ORG.{key,crt,pem,der,p12,pass} for ORG in org-a, org-b (valid ten years) and
# org-expired (2020-2021): key and certificate as PEM, both in one PEM, the certificate as
# DER, a PKCS#12 (3DES and a SHA-1 MAC, as macOS keychains export them; go-ios reads it)
# with the password in ORG.pass (no newline). Files are mode 0600.
# OUTDIR/profiles/*.plist, one phone each (UDIDs below), nobody's record in usbmuxd unless
# said: supervised-a-prohibited, supervised-a-allowed, unsupervised, supervised-a-locked
# (prohibited, passcode locked), supervised-b (prohibited), expired-record (supervised by A,
# prohibited, usbmuxd holds the record the phone forgot).
set -eu
out=${1:?usage: make_identities.sh OUTDIR}
mkdir -p "$out/profiles"
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/make-identities.XXXXXX")
trap 'rm -rf "$work"' EXIT

# finish ORG PASSWORD: the PEM pair, DER and PKCS#12 from ORG.key and ORG.crt.
finish() {
	cat "$out/$1.crt" "$out/$1.key" >"$out/$1.pem"
	openssl x509 -in "$out/$1.crt" -outform DER -out "$out/$1.der"
	printf '%s' "$2" >"$out/$1.pass"
	openssl pkcs12 -export -inkey "$out/$1.key" -in "$out/$1.crt" -name "$1" \
		-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 \
		-passout "file:$out/$1.pass" -out "$out/$1.p12"
}

# org NAME ORGANISATION PASSWORD: a self-signed supervision identity, as Apple Configurator
# makes one (an RSA-2048 key, the organisation's name as subject).
org() {
	openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
		-subj "/O=$2/CN=$2 Supervision Identity" \
		-keyout "$out/$1.key" -out "$out/$1.crt" 2>/dev/null
	finish "$1" "$3"
}

# An identity that expired: openssl req cannot back-date, openssl ca -selfsign can.
expired() {
	mkdir "$work/ca"
	: >"$work/ca/index.txt"
	echo 01 >"$work/ca/serial"
	cat >"$work/ca.cnf" <<EOF
[ca]
default_ca = d
[d]
database = $work/ca/index.txt
new_certs_dir = $work/ca
serial = $work/ca/serial
default_md = sha256
policy = p
unique_subject = no
[p]
organizationName = supplied
commonName = supplied
EOF
	openssl req -new -newkey rsa:2048 -nodes -subj "/O=$2/CN=$2 Supervision Identity" \
		-keyout "$out/$1.key" -out "$work/$1.csr" 2>/dev/null
	openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$out/$1.key" \
		-in "$work/$1.csr" -out "$out/$1.crt" -notext \
		-startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
	finish "$1" "$3"
}

org org-a "Sim School A" "password-a"
org org-b "Sim School B" "password-b"
expired org-expired "Sim School Old" "password-old"

umask 022 # profiles hold no secret
# profile FILE UDID NAME SUPERVISOR(-|ORG) ALLOW(true|false) LOCKED PAIRED EXPIRED
profile() {
	sup=""
	if [ "$4" != - ]; then
		sup="	<key>SupervisedBy</key>
	<data>$(base64 -w 0 "$out/$4.der")</data>"
	fi
	cat >"$out/profiles/$1.plist" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Description</key>
	<string>$3 (made by make_identities.sh)</string>
$sup
	<key>AllowHostPairing</key>
	<$5/>
	<key>Paired</key>
	<$7/>
	<key>PairRecordExpired</key>
	<$8/>
	<key>BackupAgeSeconds</key>
	<integer>7200</integer>
	<key>Root</key>
	<dict>
		<key>UniqueDeviceID</key>
		<string>$2</string>
		<key>DeviceName</key>
		<string>$3</string>
		<key>DeviceClass</key>
		<string>iPhone</string>
		<key>ProductType</key>
		<string>iPhone14,5</string>
		<key>ProductVersion</key>
		<string>18.1</string>
		<key>BuildVersion</key>
		<string>22B83</string>
		<key>SerialNumber</key>
		<string>FSIM${2#*-}</string>
		<key>WiFiAddress</key>
		<string>a4:83:e7:00:0a:${2#"${2%??}"}</string>
		<key>PasswordProtected</key>
		<$6/>
	</dict>
	<key>Domains</key>
	<dict>
		<key>com.apple.mobile.backup</key>
		<dict>
			<key>CloudBackupEnabled</key>
			<true/>
		</dict>
	</dict>
</dict>
</plist>
EOF
}

profile supervised-a-prohibited 00008110-0000000000000A01 "Cart A prohibited" org-a false false false false
profile supervised-a-allowed 00008110-0000000000000A02 "Cart A allowed" org-a true false false false
profile unsupervised 00008110-0000000000000A03 "Unsupervised" - true false false false
profile supervised-a-locked 00008110-0000000000000A04 "Cart A locked" org-a false true false false
profile supervised-b 00008110-0000000000000A05 "Cart B" org-b false false false false
profile expired-record 00008110-0000000000000A06 "Cart A expired record" org-a false false true true
