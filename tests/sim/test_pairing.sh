# SPDX-License-Identifier: ISC
# Pair records through usbmuxd (ReadPairRecord, SavePairRecord, DeletePairRecord) with the
# real idevicepair (a plain Pair waits for Trust), and pairing refused while locked.
. "$(dirname "$0")/lib.sh"
start_sim --profiles "$FIXTURES"

u=$(udid_of unlocked)
expect_eq "validate" "$(tool idevicepair -u "$u" validate)" "SUCCESS: Validated pairing with device $u"
expect_eq "unpair" "$(tool idevicepair -u "$u" unpair)" "SUCCESS: Unpaired with device $u"
expect_contains "record deleted, phone forgot the host" "$(ctl list)" "$u:attached:normal:unpaired:trusts=0"
expect_eq "pair shows the Trust dialog" "$(tool idevicepair -u "$u" pair || true)" \
	"ERROR: Please accept the trust dialog on the screen of device $u, then attempt to pair again."
expect_eq "tap Trust" "$(ctl trust "$u")" "ok $u"
expect_eq "pair" "$(tool idevicepair -u "$u" pair)" "SUCCESS: Paired with device $u"
expect_contains "record saved" "$(ctl list)" "$u:attached:normal:paired"
expect_eq "session with the saved record" "$(tool ideviceinfo -u "$u" -k ProductVersion)" "17.5.1"

# A locked device cannot pair: the handshake's automatic Pair gets PasswordProtected.
u=$(udid_of healthy)
tool idevicepair -u "$u" unpair >/dev/null
expect_eq "locked, unpaired" "$(tool ideviceinfo -u "$u" 2>&1 || true)" \
	"ERROR: Could not connect to lockdownd: Password protected (-17)"
expect_eq "pair by Trust" "$(ctl pair "$u")" "ok $u"
expect_eq "trusted again" "$(tool ideviceinfo -u "$u" -k ProductVersion)" "17.5.1"
finish
