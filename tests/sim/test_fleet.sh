# SPDX-License-Identifier: ISC
# A fleet of 1000: fast start-up, every device listed, sessions through the real library,
# and the simulator's CPU time per complete lockdown session (reported, bounded loosely
# here because sanitizer builds are slow; see docs/benchmarks.md for the release figure).
. "$(dirname "$0")/lib.sh"
: "${SIM_CLIENT:?}"
start=$(date +%s%N)
start_sim --devices 1000 --seed 42
ms=$((($(date +%s%N) - start) / 1000000))
echo "start-up with 1000 devices: ${ms} ms"
[ "$ms" -lt 10000 ] && pass "start-up ${ms} ms" || fail "start-up ${ms} ms"
expect_eq "1000 listed" "$(tool idevice_id -l | wc -l)" "1000"

healthy=$(ctl list | tr ' ' '\n' | grep ':attached:normal:' | cut -d: -f1 | head -20)
s0=$(ctl stats | sed 's/.*sessions=\([0-9]*\).*/\1/')
# shellcheck disable=SC2086
out=$(timeout 120 "$SIM_CLIENT" bench 200 20 "$SIM_PID" $healthy) || fail "bench: $out"
echo "$out"
s1=$(ctl stats | sed 's/.*sessions=\([0-9]*\).*/\1/')
expect_eq "200 sessions served" "$((s1 - s0))" "200"
per=$(echo "$out" | sed 's/.*sim_cpu_ms_per_session=\([0-9.]*\).*/\1/')
awk -v p="$per" 'BEGIN { exit !(p < 50) }' && pass "CPU per session ${per} ms" || fail "CPU per session ${per} ms"
finish
