# SPDX-License-Identifier: ISC
# ideviceinfo, through a real TLS session, returns each profile's values.
. "$(dirname "$0")/lib.sh"
: "${SIM_CLIENT:?}"
start_sim --profiles "$FIXTURES"

# value PROFILE DOMAIN KEY: what ideviceinfo prints for one key
value() {
	if [ "$2" = "-" ]; then tool ideviceinfo -u "$(udid_of "$1")" -k "$3"
	else tool ideviceinfo -u "$(udid_of "$1")" -q "$2" -k "$3"; fi
}

# profile domain key expected
while read -r p d k v; do
	expect_eq "$p $d $k" "$(value "$p" "$d" "$k")" "$v"
done <<'TABLE'
healthy - ProductVersion 17.5.1
healthy - ProductType iPhone15,2
healthy - DeviceClass iPhone
healthy - BuildVersion 21F90
healthy - SerialNumber FSIM0000001
healthy - PasswordProtected true
healthy com.apple.mobile.backup CloudBackupEnabled true
healthy com.apple.mobile.battery ExternalConnected true
healthy com.apple.mobile.battery BatteryIsCharging true
healthy com.apple.mobile.battery BatteryCurrentCapacity 87
healthy com.apple.disk_usage TotalDataAvailable 240800000000
healthy com.apple.disk_usage TotalDataCapacity 244000000000
backup-off com.apple.mobile.backup CloudBackupEnabled false
unlocked - PasswordProtected false
no-power com.apple.mobile.battery ExternalConnected false
not-charging com.apple.mobile.battery ExternalConnected true
not-charging com.apple.mobile.battery BatteryIsCharging false
not-charging com.apple.mobile.battery FullyCharged false
old-ios - ProductVersion 12.5.7
old-ios - ProductType iPhone7,2
large-data com.apple.disk_usage TotalDataAvailable 14000000000
TABLE

u=$(udid_of healthy)
all=$(tool ideviceinfo -u "$u")
expect_contains "full root domain has the UDID" "$all" "UniqueDeviceID: $u"
expect_contains "full root domain has the name" "$all" "DeviceName: Sim healthy"
battery=$(tool ideviceinfo -u "$u" -q com.apple.mobile.battery)
expect_contains "battery domain" "$battery" "ExternalConnected: true"
expect_contains "battery domain" "$battery" "FullyCharged: false"
xml=$(tool ideviceinfo -u "$u" -q com.apple.mobile.backup -x)
expect_contains "backup domain as XML" "$xml" "<key>CloudBackupEnabled</key>"

# LastCloudBackupDate: seconds since 2001-01-01, BackupAgeSeconds before now.
now_apple=$(($(date +%s) - 978307200))
last=$(value healthy com.apple.mobile.backup LastCloudBackupDate)
age=$((now_apple - last))
[ "$age" -ge 7100 ] && [ "$age" -le 7400 ] && pass "healthy backed up 2 h ago" ||
	fail "healthy backup age $age"
last=$(value stale-backup com.apple.mobile.backup LastCloudBackupDate)
[ $((now_apple - last)) -ge 2591000 ] && pass "stale backup 30 days old" || fail "stale age"
expect_eq "never backed up: no date" "$(value never-backed-up com.apple.mobile.backup LastCloudBackupDate)" ""
expect_eq "backup off: no date" "$(value backup-off com.apple.mobile.backup LastCloudBackupDate)" ""
expect_eq "missing key prints nothing" "$(value healthy com.apple.mobile.battery NoSuchKey)" ""

# Before StartSession only identity keys are given out (ideviceinfo -s skips the handshake).
expect_eq "pre-session ProductVersion" "$(tool ideviceinfo -s -u "$u" -k ProductVersion)" "17.5.1"
expect_eq "pre-session battery withheld" "$(tool ideviceinfo -s -u "$u" -q com.apple.mobile.battery)" ""

# One connection, three sessions: StopSession returns the stream to plaintext.
out=$(timeout 30 "$SIM_CLIENT" restart "$u")
expect_eq "stop and start sessions on one connection" "$(echo "$out" | tail -n 1)" "ok"
expect_eq "plaintext GetValue between sessions" "$(echo "$out" | grep -c "ProductVersion: 17.5.1")" "3"

# Older iOS: libimobiledevice caps TLS at 1.0 below iOS 10 and sends ValidatePair below 7.
u=$(udid_of old-ios)
ctl set "$u" - ProductVersion 9.3.5 >/dev/null
expect_eq "iOS 9: TLS 1.0 session" "$(value old-ios com.apple.mobile.battery ExternalConnected)" "true"
ctl set "$u" - ProductVersion 6.1.6 >/dev/null
expect_eq "iOS 6: ValidatePair, then session" "$(value old-ios com.apple.mobile.battery ExternalConnected)" "true"

# Synthesized devices answer too.
stop_sim
start_sim --devices 200 --seed 3
for u in $(ctl list | tr ' ' '\n' | grep ':attached:normal:' | cut -d: -f1 | sed -n '1p;50p;$p'); do
	expect_eq "synthesized $u" "$(tool ideviceinfo -u "$u" -k UniqueDeviceID)" "$u"
	expect_contains "synthesized $u battery" "$(tool ideviceinfo -u "$u" -q com.apple.mobile.battery)" "ExternalConnected:"
done
# Every one of them holds a session through the real library.
# shellcheck disable=SC2086
udids=$(tool idevice_id -l) || true
expect_eq "idevice_id -l lists 200" "$(echo "$udids" | grep -c .)" 200
out=$(timeout 120 "$SIM_CLIENT" bench 200 10 "$SIM_PID" $udids 2>&1) || true
expect_contains "all 200 synthesized devices answer" "$out" "sessions_ok=200 sessions_failed=0"
finish
