# SPDX-License-Identifier: ISC
# The Trust dialog and expiry, seen by the real idevicepair and ideviceinfo (1.3.0): a plain
# Pair waits for Trust, Don't Trust holds until a replug, a locked phone says so, a phone
# supervised with host pairing prohibited refuses, an expired record answers InvalidHostID,
# and every session is checked against the record the host saved.
. "$(dirname "$0")/lib.sh"
make_ids
start_sim --profiles "$IDS/profiles"

u=00008110-0000000000000A03 # unsupervised, no record anywhere
pair() { tool idevicepair -u "$1" pair 2>&1 || true; }
info() { tool ideviceinfo -u "$1" -k DeviceName 2>&1 || true; }
E="ERROR: Could not connect to lockdownd:"
PENDING="ERROR: Please accept the trust dialog on the screen of device $u, then attempt to pair again."

expect_contains "no Trust to tap before a Pair" "$(ctl trust "$u" 2>&1 || true)" "error no Trust dialog"
expect_eq "no record: the handshake's Pair shows the dialog" "$(info "$u")" \
	"$E Pairing dialog response pending (-19)"
expect_eq "idevicepair: pending" "$(pair "$u")" "$PENDING"
expect_contains "dialog on screen" "$(ctl list)" "$u:attached:normal:unpaired:trusts=0:dialog=shown:unsupervised"
expect_eq "tap Trust" "$(ctl trust "$u")" "ok $u"
expect_eq "idevicepair: paired" "$(pair "$u")" "SUCCESS: Paired with device $u"
expect_contains "record saved, host trusted" "$(ctl list)" "$u:attached:normal:paired:trusts=1:dialog=none"
expect_eq "validate the saved record" "$(tool idevicepair -u "$u" validate 2>&1)" \
	"SUCCESS: Validated pairing with device $u"
expect_eq "ideviceinfo with the saved record" "$(info "$u")" "Unsupervised"

# 30 days later: the phone forgot the host, usbmuxd still holds the record.
expect_eq "expire" "$(ctl expire "$u")" "ok $u"
expect_eq "expired: InvalidHostID" "$(info "$u")" "$E Invalid HostID (-21)"
expect_eq "expired: validate refused" "$(tool idevicepair -u "$u" validate 2>&1 || true)" \
	"ERROR: Device $u is not paired with this host"

# Don't Trust: refused until the phone is unplugged and plugged in again.
expect_eq "pair again: pending" "$(pair "$u")" "$PENDING"
expect_eq "tap Don't Trust" "$(ctl distrust "$u")" "ok $u"
DENIED="ERROR: Device $u said that the user denied the trust dialog."
expect_eq "denied" "$(pair "$u")" "$DENIED"
expect_eq "still denied" "$(pair "$u")" "$DENIED"
ctl detach "$u" >/dev/null
ctl attach "$u" >/dev/null
expect_eq "after a replug the dialog again" "$(pair "$u")" "$PENDING"
ctl trust "$u" >/dev/null
expect_eq "trusted after the replug" "$(pair "$u")" "SUCCESS: Paired with device $u"
expect_eq "session again" "$(info "$u")" "Unsupervised"

# Unpair: the phone forgets the host too.
expect_eq "unpair" "$(tool idevicepair -u "$u" unpair)" "SUCCESS: Unpaired with device $u"
expect_contains "phone forgot the host" "$(ctl list)" "$u:attached:normal:unpaired:trusts=0"

# Locked: no dialog until unlocked.
ctl set "$u" - PasswordProtected true >/dev/null
expect_eq "locked" "$(pair "$u")" \
	"ERROR: Could not validate with device $u because a passcode is set. Please enter the passcode on the device and retry."
ctl set "$u" - PasswordProtected false >/dev/null
expect_eq "unlocked: pending" "$(pair "$u")" "$PENDING"

# Supervised: prohibited without the identity; allowed shows the dialog.
a1=00008110-0000000000000A01
expect_eq "prohibited: MCProtected" "$(pair "$a1")" \
	"ERROR: Device $a1 returned unhandled error code -38"
expect_eq "prohibited: handshake" "$(info "$a1")" "$E MC protected (-38)"
expect_contains "prohibited: no dialog" "$(ctl list)" "$a1:attached:normal:unpaired:trusts=0:dialog=none"
a2=00008110-0000000000000A02
expect_eq "supervised, allowed: pending" "$(pair "$a2")" \
	"ERROR: Please accept the trust dialog on the screen of device $a2, then attempt to pair again."

# A record held but forgotten by the phone.
a6=00008110-0000000000000A06
expect_eq "expired record profile" "$(info "$a6")" "$E Invalid HostID (-21)"
finish
