# SPDX-License-Identifier: ISC
# --sysfs: the USB tree as the kernel lays it out (device directories named by port path,
# attributes, hubs, links into devices/), seeded ports, move and usbdev.
. "$(dirname "$0")/lib.sh"
S="$T/sys"
mkdir "$S"
start_sim --profiles "$FIXTURES" --devices 3 --seed 7 --sysfs "$S"
u=$(udid_of healthy) # 24-digit UDID: the USB serial has no dash
serial=$(echo "$u" | tr -d -)
D="$S/bus/usb/devices"

port_of() { ctl ports | tr ' ' '\n' | sed -n "s/^$1=//p"; }
p=$(port_of "$u")
case "$p" in 1-[0-9]*.[0-9]*) pass "seeded port $p" ;; *) fail "no port for $u: $p" ;; esac
expect_eq "serial" "$(cat "$D/$p/serial")" "$serial"
expect_eq "idVendor" "$(cat "$D/$p/idVendor")" "05ac"
expect_eq "idProduct" "$(cat "$D/$p/idProduct")" "12a8"
expect_eq "busnum" "$(cat "$D/$p/busnum")" "1"
expect_eq "devpath" "$(cat "$D/$p/devpath")" "${p#1-}"
expect_eq "speed" "$(cat "$D/$p/speed")" "480"
expect_eq "product" "$(cat "$D/$p/product")" "iPhone"
expect_eq "manufacturer" "$(cat "$D/$p/manufacturer")" "Apple Inc."
hub=${p%.*}
expect_eq "hub class" "$(cat "$D/$hub/bDeviceClass")" "09"
expect_eq "root hub" "$(cat "$D/usb1/devpath")" "0"
expect_eq "link into devices/" "$(readlink "$D/$p")" \
	"../../../devices/pci0000:00/0000:00:14.0/usb1/$hub/$p"
[ -d "$D/$p/$p:1.0" ] && pass "interface directory" || fail "no interface directory"
# A 40-hex UDID is its serial as is.
long=$(ctl list | tr ' ' '\n' | sed -n 's/^\([0-9a-f]\{40\}\):.*/\1/p' | head -n 1)
if [ -n "$long" ]; then
	expect_eq "40-hex serial" "$(cat "$D/$(port_of "$long")/serial")" "$long"
fi

# A fleet larger than one bus spreads over buses.
stop_sim
rm -rf "$S" && mkdir "$S"
start_sim --devices 240 --seed 7 --sysfs "$S"
expect_eq "third bus in use" "$(ctl ports | tr ' ' '\n' | grep -c '=3-')" "16"
expect_eq "every phone in the tree" "$(ls "$D" | grep -c '^[0-9]*-[0-9]*\.[0-9]*$')" "240"

# Same seed, same ports.
stop_sim
rm -rf "$S" && mkdir "$S"
start_sim --profiles "$FIXTURES" --devices 3 --seed 7 --sysfs "$S"
first=$(ctl ports)
stop_sim
rm -rf "$S" && mkdir "$S"
start_sim --profiles "$FIXTURES" --devices 3 --seed 7 --sysfs "$S"
expect_eq "deterministic from the seed" "$(ctl ports)" "$first"

devnum=$(cat "$D/$p/devnum")
expect_eq "detach removes the device" "$(ctl detach "$u"; [ -e "$D/$p" ] && echo there || echo gone)" "ok $u
gone"
[ -d "$S/devices/pci0000:00/0000:00:14.0/usb1/$hub" ] && pass "hub stays" || fail "hub gone"
ctl attach "$u" >/dev/null
[ "$(cat "$D/$p/devnum")" != "$devnum" ] && pass "re-plug: new devnum" || fail "devnum reused"

"$SIM_CLIENT" events 6 >"$T/events" &
events_pid=$!
wait_for "$T/events" "add $u"
expect_eq "move" "$(ctl move "$u" 1-4.2.3 5000)" "ok $u 1-4.2.3"
[ -e "$D/$p" ] && fail "old port still there" || pass "old port empty"
expect_eq "moved: serial" "$(cat "$D/1-4.2.3/serial")" "$serial"
expect_eq "moved: speed" "$(cat "$D/1-4.2.3/speed")" "5000"
expect_eq "moved: nested hubs" "$(readlink "$D/1-4.2.3")" \
	"../../../devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4.2/1-4.2.3"
wait_for "$T/events" "remove $u"
kill $events_pid 2>/dev/null || true
wait $events_pid 2>/dev/null || true
expect_eq "move: detach then attach" "$(sed -n "/remove $u/,\$p" "$T/events" | grep -c "add $u")" "1"

expect_eq "usbdev" "$(ctl usbdev 1-4.2.4 046d:c31c KB123)" "ok 1-4.2.4"
expect_eq "usbdev vendor" "$(cat "$D/1-4.2.4/idVendor")" "046d"
expect_eq "usbdev serial" "$(cat "$D/1-4.2.4/serial")" "KB123"
expect_eq "move onto a busy port" "$(ctl move "$u" 1-4.2.4 || true)" "error port busy"
expect_eq "bad port" "$(ctl move "$u" 1-x || true)" "error PORT must look like 1-2.3"
expect_eq "usbdev removed" "$(ctl usbdev 1-4.2.4 -; [ -e "$D/1-4.2.4" ] && echo there || echo gone)" "ok 1-4.2.4
gone"
finish
