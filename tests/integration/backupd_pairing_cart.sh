#!/bin/sh
# SPDX-License-Identifier: ISC
# A cart of 30 phones supervised by organisation A with host pairing prohibited and no pair
# record: without the identity every one is "prohibited"; with it all are paired without a
# dialog, read and judged. Usage (inside journal-ns.sh): backupd_pairing_cart.sh BUILD SRC [N]
set -eu
BUILD=$1 SRC=$2 N=${3:-30}
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/pairing_lib.sh"

mkdir -p "$WORK/cart"
i=1
while [ $i -le "$N" ]; do
	udid=$(printf '00008110-00000000000C%04d' "$i")
	sed -e "s/00008110-0000000000000A01/$udid/" -e "s/Cart A prohibited/Cart $i/" \
		"$SUP_PROFILES/supervised-a-prohibited.plist" >"$WORK/cart/$i.plist"
	i=$((i + 1))
done
launch_sim --profiles "$WORK/cart"

# count STATE PROBE : phones with that pairing state and probe status (judged: not unknown).
count() {
	ctl status --json 2>/dev/null | python3 -c 'import json,sys
n = sum(1 for d in json.load(sys.stdin)["devices"]
        if d["pairing"]["state"] == sys.argv[1] and d["probe_status"] == sys.argv[2]
        and d["readiness"] != "unknown")
print(n)' "$1" "$2"
}

# until_count SECONDS STATE PROBE : waits until all N phones are so.
until_count() {
	i=0
	while [ "$(count "$2" "$3")" != "$N" ]; do
		[ $i -lt $(($1 * 5)) ] || return 1
		sleep 0.2
		i=$((i + 1))
	done
}

pairing_config ""
start_daemon
until_count 60 prohibited not_paired ||
	fail "not every phone is prohibited without the identity: $(count prohibited not_paired)"
echo "ok - $N phones: prohibited without the identity"
stop_daemon

pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.p12
SupervisionPasswordFile=$IDS_DIR/org-a.pass"
start=$(date +%s.%N)
start_daemon
until_count 100 paired-supervised ok ||
	fail "only $(count paired-supervised ok) of $N paired (supervised), read and judged; states: $(ctl status --json | grep -o "\"state\": \"[a-z-]*\"" | sort | uniq -c | tr "\n" " ")"
end=$(date +%s.%N)
shown=$("$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep -c 'dialog=shown\|dialog=trusted\|dialog=denied' || true)
[ "$shown" = 0 ] || fail "$shown phones showed a dialog"
echo "ok - $N phones: all paired (supervised), read and judged, no dialog, in $(echo "$end - $start" | bc) s"
