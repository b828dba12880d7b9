# SPDX-License-Identifier: ISC
# The control socket: attach/detach/add seen by the real tools and the real event API,
# set/unset values, behaviours, stats, and errors for bad commands.
. "$(dirname "$0")/lib.sh"
: "${SIM_CLIENT:?}"
start_sim --profiles "$FIXTURES"
u=$(udid_of healthy)

expect_contains "list" "$(ctl list)" "$u:attached:normal"

"$SIM_CLIENT" events 8 >"$T/events" &
events_pid=$!
wait_for "$T/events" "add $u"
expect_eq "detach" "$(ctl detach "$u")" "ok $u"
tool idevice_id -l | grep -q "$u" && fail "detached device still listed" || pass "detached device gone"
rc=0
out=$(tool ideviceinfo -u "$u" 2>&1) || rc=$?
expect_eq "ideviceinfo on a detached device" "$out" "ERROR: Device $u not found!"
expect_eq "attach" "$(ctl attach "$u")" "ok $u"
tool idevice_id -l | grep -q "$u" && pass "attached device listed" || fail "attached device missing"

sed "s/$u/00008030-00AA00BB00CC00DD/; s/Sim healthy/Added Phone/" "$FIXTURES/healthy.plist" >"$T/new.plist"
expect_eq "add" "$(ctl add "$T/new.plist")" "ok 00008030-00AA00BB00CC00DD"
tool idevice_id -l | grep -q 00008030-00AA00BB00CC00DD && pass "added device listed" || fail "added device missing"
expect_eq "added device answers" "$(tool ideviceinfo -u 00008030-00AA00BB00CC00DD -k DeviceName)" "Added Phone"
wait_for "$T/events" "add 00008030-00AA00BB00CC00DD" || true
kill $events_pid 2>/dev/null || true
wait $events_pid 2>/dev/null || true
expect_contains "event: remove" "$(cat "$T/events")" "remove $u"
expect_eq "event: add after remove" "$(sed -n "/remove $u/,\$p" "$T/events" | grep -c "add $u")" "1"
expect_contains "event: add of the new profile" "$(cat "$T/events")" "add 00008030-00AA00BB00CC00DD"

ctl set "$u" com.apple.mobile.battery ExternalConnected false >/dev/null
expect_eq "set bool" "$(tool ideviceinfo -u "$u" -q com.apple.mobile.battery -k ExternalConnected)" "false"
ctl set "$u" com.apple.mobile.battery BatteryCurrentCapacity 12 >/dev/null
expect_eq "set integer" "$(tool ideviceinfo -u "$u" -q com.apple.mobile.battery -k BatteryCurrentCapacity)" "12"
ctl set "$u" - DeviceName My Phone >/dev/null
expect_eq "set string with a space in root" "$(tool ideviceinfo -u "$u" -k DeviceName)" "My Phone"
ctl set "$u" root PasswordProtected false >/dev/null
expect_eq "set root by name" "$(tool ideviceinfo -u "$u" -k PasswordProtected)" "false"
ctl set "$u" com.apple.mobile.wireless_lockdown EnableWifiConnections true >/dev/null
expect_eq "set in a new domain" "$(tool ideviceinfo -u "$u" -q com.apple.mobile.wireless_lockdown -k EnableWifiConnections)" "true"
expect_eq "unset" "$(ctl unset "$u" com.apple.mobile.backup LastCloudBackupDate)" "ok"
expect_eq "unset value gone" "$(tool ideviceinfo -u "$u" -q com.apple.mobile.backup -k LastCloudBackupDate)" ""
expect_eq "unset missing" "$(ctl unset "$u" com.apple.mobile.backup LastCloudBackupDate || true)" "error no such value"

expect_eq "behaviour" "$(ctl behaviour "$u" locked_since_boot)" "ok locked_since_boot 0"
expect_eq "behaviour takes effect" "$(tool ideviceinfo -u "$u" 2>&1 || true)" \
	"ERROR: Could not connect to lockdownd: Password protected (-17)"
ctl behaviour "$u" normal >/dev/null
expect_eq "behaviour back to normal" "$(tool ideviceinfo -u "$u" -k ProductVersion)" "17.5.1"

expect_eq "unknown device" "$(ctl attach 0000 || true)" "error unknown device"
expect_eq "unknown command" "$(ctl frobnicate || true)" "error unknown command"
expect_eq "missing arguments" "$(ctl set "$u" || true)" "error usage: set UDID DOMAIN KEY VALUE"
expect_eq "unknown behaviour" "$(ctl behaviour "$u" sulk || true)" "error unknown behaviour"
expect_eq "bad profile" "$(ctl add /nonexistent || true)" "error cannot read /nonexistent"
expect_contains "stats counts sessions" "$(ctl stats)" "ok sessions="
sessions=$(ctl stats | sed 's/.*sessions=\([0-9]*\).*/\1/')
[ "$sessions" -ge 8 ] && pass "stats: $sessions sessions" || fail "stats: $sessions sessions"
finish
