# SPDX-License-Identifier: ISC
# usbmuxd down/up: the socket vanishes, clients are cut off, listeners reconnect.
. "$(dirname "$0")/lib.sh"
: "${SIM_CLIENT:?}"
start_sim --profiles "$FIXTURES"
u=$(udid_of healthy)

"$SIM_CLIENT" events 10 >"$T/events" &
events_pid=$!
wait_for "$T/events" "add $u"
expect_eq "down" "$(ctl usbmuxd down)" "ok down"
[ ! -e "$T/usbmuxd" ] && pass "socket removed" || fail "socket still there"
rc=0
out=$(tool idevice_id -l 2>&1) || rc=$?
expect_eq "idevice_id with usbmuxd down" "$out" "ERROR: Unable to retrieve device list!"
expect_eq "control still answers" "$(ctl list | cut -c1-5)" "ok $(ls "$FIXTURES"/*.plist | wc -l)"
expect_eq "up" "$(ctl usbmuxd up)" "ok up"
[ -S "$T/usbmuxd" ] && pass "socket back" || fail "no socket"
expect_eq "socket mode 0666" "$(stat -c %a "$T/usbmuxd")" "666"
expect_eq "listed again" "$(tool idevice_id -l | grep -c "$u")" "1"
expect_eq "sessions again" "$(tool ideviceinfo -u "$u" -k ProductVersion)" "17.5.1"
wait_for "$T/events" "remove $u" || true
kill $events_pid 2>/dev/null || true
wait $events_pid 2>/dev/null || true
expect_contains "listener told of removal" "$(cat "$T/events")" "remove $u"
# libusbmuxd 2.0.2 waits for a new socket through inotify on /var/run only, so with
# USBMUXD_SOCKET_ADDRESS a listener must subscribe again: a new one sees the fleet.
"$SIM_CLIENT" events 10 >"$T/events2" &
events_pid=$!
wait_for "$T/events2" "add $u" || true
kill $events_pid 2>/dev/null || true
wait $events_pid 2>/dev/null || true
expect_eq "new listener sees the device" "$(grep -c "add $u" "$T/events2")" "1"
finish
