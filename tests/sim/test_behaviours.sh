# SPDX-License-Identifier: ISC
# Each bad behaviour makes the real tools print what they print for a real device so.
. "$(dirname "$0")/lib.sh"
start_sim --profiles "$FIXTURES"

info() { tool ideviceinfo -u "$(udid_of "$1")" -k ProductVersion 2>&1 || true; }
E="ERROR: Could not connect to lockdownd:"

expect_eq "not paired" "$(info not-paired)" "$E Invalid HostID (-21)"
expect_eq "trust dialog pending" "$(info trust-pending)" "$E Pairing dialog response pending (-19)"
expect_eq "locked since boot" "$(info locked-since-boot)" "$E Password protected (-17)"
expect_eq "drop at StartSession" "$(info drop)" "$E PropertyList error (-3)"
expect_eq "malformed replies" "$(info malformed)" "$E PropertyList error (-3)"

u=$(udid_of trust-pending)
expect_eq "idevicepair on a pending dialog" "$(tool idevicepair -u "$u" pair || true)" \
	"ERROR: Please accept the trust dialog on the screen of device $u, then attempt to pair again."
u=$(udid_of locked-since-boot)
expect_eq "idevicepair validate on a locked device" "$(tool idevicepair -u "$u" validate || true)" \
	"ERROR: Could not validate with device $u because a passcode is set. Please enter the passcode on the device and retry."
u=$(udid_of not-paired)
expect_eq "idevicepair validate, not paired" "$(tool idevicepair -u "$u" validate || true)" \
	"ERROR: Device $u is not paired with this host"

# Dropped mid-session (after StartSession and TLS): the handshake succeeds, the value is lost.
u=$(udid_of drop)
ctl behaviour "$u" drop 3 >/dev/null
expect_eq "drop mid-session: no value" "$(tool ideviceinfo -u "$u" -k ProductVersion 2>&1 || true)" ""

# Hang: the tool waits forever; meanwhile every other device is served.
rc=0
timeout 3 ideviceinfo -u "$(udid_of hang)" >/dev/null 2>&1 &
hang_pid=$!
start=$(date +%s%N)
expect_eq "served while another hangs" "$(info healthy)" "17.5.1"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -lt 2500 ] && pass "not blocked by the hang (${elapsed} ms)" || fail "blocked ${elapsed} ms"
wait $hang_pid || rc=$?
expect_eq "hang: tool still waiting after 3 s" "$rc" "124"

# Slow: five replies at 300 ms each.
start=$(date +%s%N)
expect_eq "slow still answers" "$(info slow)" "17.5.1"
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$elapsed" -ge 1400 ] && pass "slow took ${elapsed} ms" || fail "slow took only ${elapsed} ms"

# Tapping Trust: Detached, Attached, Paired; then sessions work.
u=$(udid_of trust-pending)
expect_eq "pair" "$(ctl pair "$u")" "ok $u"
expect_eq "paired device answers" "$(info trust-pending)" "17.5.1"
finish
