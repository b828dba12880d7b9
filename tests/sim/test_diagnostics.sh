# SPDX-License-Identifier: ISC
# idevicediagnostics ioregentry returns the profile's Wi-Fi interface, by its class name.
. "$(dirname "$0")/lib.sh"
start_sim --profiles "$FIXTURES"

b64() { printf "$1" | base64; }
diag() { tool idevicediagnostics -u "$(udid_of "$1")" ioregentry "$2"; }

out=$(diag healthy AppleBCMWLANSkywalkInterface)
expect_contains "healthy SSID" "$out" "<key>IO80211SSID</key>
		<string>SimNet</string>"
expect_contains "healthy BSSID 2c:3a:fd:10:20:01" "$out" "$(b64 '\054\072\375\020\040\001')"
expect_contains "under Diagnostics/IORegistry" "$out" "<key>IORegistry</key>"

out=$(diag no-wifi AppleBCMWLANSkywalkInterface)
expect_contains "not joined: empty SSID" "$out" "<string></string>"
expect_contains "not joined: zero BSSID" "$out" "$(b64 '\0\0\0\0\0\0')"

out=$(diag old-ios IO80211Interface)
expect_contains "iOS 12 answers IO80211Interface" "$out" "<string>SimNet</string>"
rc=0
out=$(diag old-ios AppleBCMWLANSkywalkInterface) || rc=$?
expect_eq "iOS 12 has no Skywalk interface" "$out" "ERROR: Unable to retrieve IORegistry from device."

# Wi-Fi changed through the control socket.
u=$(udid_of healthy)
ctl wifi "$u" - >/dev/null
expect_contains "wifi - leaves the network" "$(diag healthy AppleBCMWLANSkywalkInterface)" "<string></string>"
ctl wifi "$u" "Office Net" >/dev/null
ctl bssid "$u" 11:22:33:44:55:66 >/dev/null
out=$(diag healthy AppleBCMWLANSkywalkInterface)
expect_contains "wifi joins a new SSID" "$out" "<string>Office Net</string>"
expect_contains "wifi new BSSID" "$out" "$(b64 '\021\042\063\104\125\146')"

# A locked-since-boot device refuses the session the service needs.
expect_eq "locked device" "$(diag locked-since-boot AppleBCMWLANSkywalkInterface)" \
	"ERROR: Could not connect to lockdownd, error code -17"
finish
