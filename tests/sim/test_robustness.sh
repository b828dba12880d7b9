# SPDX-License-Identifier: ISC
# Bad or vanishing clients harm nobody else: garbage, oversized and cut frames on the
# usbmuxd socket and on a device port, a client killed mid-session, many at once.
. "$(dirname "$0")/lib.sh"
: "${SIM_CLIENT:?}"
start_sim --profiles "$FIXTURES"

out=$("$SIM_CLIENT" abuse) && pass "abuse cases" || fail "abuse: $out"
echo "$out"
head -c 5000 /dev/urandom >"$T/noise"
"$SIM" --ctl "$T/control" "$(head -c 3000 "$T/noise" | tr -d '\0\n')" >/dev/null 2>&1 || true
pass "garbage on the control socket"

# Killed in the middle of a (slow) session.
ideviceinfo -u "$(udid_of slow)" >/dev/null 2>&1 &
victim=$!
sleep 0.5
kill -9 $victim
wait $victim 2>/dev/null || true

# Twenty sessions at once on different devices.
pids=""
for p in healthy unlocked no-power not-charging no-wifi large-data stale-backup backup-off \
	never-backed-up old-ios healthy unlocked no-power not-charging no-wifi large-data \
	stale-backup backup-off never-backed-up old-ios; do
	(tool ideviceinfo -u "$(udid_of $p)" -k UniqueDeviceID >"$T/par.$p.$$.$(date +%N)") &
	pids="$pids $!"
done
for pid in $pids; do wait "$pid" || fail "parallel ideviceinfo failed"; done
expect_eq "20 parallel sessions answered" "$(cat "$T"/par.* | wc -l)" "20"
expect_eq "still serving" "$(tool ideviceinfo -u "$(udid_of healthy)" -k ProductVersion)" "17.5.1"
kill -0 "$SIM_PID" && pass "simulator alive" || fail "simulator died"
finish
