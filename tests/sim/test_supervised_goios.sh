# SPDX-License-Identifier: ISC
# go-ios (npm, installed by scripts/deps.sh), an independent client: `ios pair --p12file`
# pairs a phone supervised by its organisation with no dialog, is refused by a phone of
# another organisation, saves a record that libimobiledevice's idevicepair validate and
# ideviceinfo accept; a locked phone gives go-ios no record to save.
. "$(dirname "$0")/lib.sh"
GO_IOS=$(go_ios_path)
if [ ! -x "$GO_IOS" ]; then
	echo "FAIL: go-ios not installed at $GO_IOS: run sh scripts/deps.sh (as root)" >&2
	exit 1
fi
make_ids
start_sim --profiles "$IDS/profiles"
goios() { USBMUXD_SOCKET_ADDRESS="unix://$T/usbmuxd" tool "$GO_IOS" "$@" 2>&1 | grep -v "agent is not running"; }
a1=00008110-0000000000000A01 # supervised by A, host pairing prohibited
a4=00008110-0000000000000A04 # same, locked
a5=00008110-0000000000000A05 # supervised by B
pA=$(cat "$IDS/org-a.pass")

expect_contains "go-ios pairs A's phone" \
	"$(goios pair --p12file="$IDS/org-a.p12" --password="$pA" --udid="$a1")" "Successfully paired $a1"
expect_contains "record saved, host trusted, no dialog" "$(ctl list)" \
	"$a1:attached:normal:paired:trusts=1:dialog=none"
expect_eq "idevicepair validate go-ios's record" "$(tool idevicepair -u "$a1" validate 2>&1)" \
	"SUCCESS: Validated pairing with device $a1"
expect_eq "ideviceinfo with go-ios's record" "$(tool ideviceinfo -u "$a1" -k DeviceName 2>&1)" \
	"Cart A prohibited"

out=$(goios pair --p12file="$IDS/org-a.p12" --password="$pA" --udid="$a5")
expect_contains "B's phone refuses A" "$out" "Pairing failed"
expect_contains "B's phone answers MCProtected" "$out" "Error:MCProtected"
expect_contains "no record for B's phone" "$(ctl list)" "$a5:attached:normal:unpaired:trusts=0"

out=$(goios pair --p12file="$IDS/org-b.p12" --password="$(cat "$IDS/org-b.pass")" --udid="$a5")
expect_contains "go-ios with B's identity pairs B's phone" "$out" "Successfully paired $a5"

# go-ios 1.2.0 predates its commit 58146ed: it panics reading the missing EscrowBag
# (pair.go: respMap["EscrowBag"].([]byte)) and saves nothing.
out=$(goios pair --p12file="$IDS/org-a.p12" --password="$pA" --udid="$a4")
expect_contains "locked: go-ios finds no EscrowBag" "$out" "interface {} is nil, not []uint8"
expect_contains "locked: no record saved" "$(ctl list)" "$a4:attached:normal:unpaired:trusts=0"
finish
