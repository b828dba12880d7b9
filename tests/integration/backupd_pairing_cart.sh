#!/bin/sh
# SPDX-License-Identifier: ISC
# A cart of N (30) phones of mixed kinds, none with a pair record that works: most supervised
# by organisation A with host pairing prohibited, some supervised by A with it allowed, some
# unsupervised (only Trust on the phone can pair them), some whose record usbmuxd still holds
# but the phone forgot (expired). Without the identity the prohibited ones say so; with it every
# phone is paired, read and judged, and no phone is touched but the unsupervised ones, each
# tapped Trust once. Usage (inside journal-ns.sh): backupd_pairing_cart.sh BUILD SRC [N]
set -eu
BUILD=$1 SRC=$2 N=${3:-30}
. "$SRC/tests/integration/backupd_lib.sh"
. "$SRC/tests/integration/pairing_lib.sh"
. "$SRC/tests/integration/metrics_lib.sh"
PORT=$(free_port)
METRICS_LISTEN="127.0.0.1:$PORT"

# The kind of phone I of the cart: one in ten of each of the rarer kinds.
kind_of() {
	case $(($1 % 10)) in
	3) echo unsupervised ;;
	6) echo expired-record ;;
	9) echo supervised-a-allowed ;;
	*) echo supervised-a-prohibited ;;
	esac
}

mkdir -p "$WORK/cart"
: >"$WORK/kinds"
i=1
while [ $i -le "$N" ]; do
	kind=$(kind_of $i)
	udid=$(printf '00008110-00000000000C%04d' "$i")
	sed -n '/<key>UniqueDeviceID<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;q}' \
		"$SUP_PROFILES/$kind.plist" >"$WORK/old-udid"
	sed -e "s/$(cat "$WORK/old-udid")/$udid/" "$SUP_PROFILES/$kind.plist" >"$WORK/cart/$i.plist"
	echo "$udid $kind" >>"$WORK/kinds"
	i=$((i + 1))
done
launch_sim --profiles "$WORK/cart"

# cart_state : one line per kind, "KIND COUNT STATE PROBE_STATUS JUDGED", from status --json.
cart_state() {
	ctl status --json 2>/dev/null | python3 -c 'import collections, json, sys
kinds = dict(line.split() for line in open(sys.argv[1]))
seen = collections.Counter()
for d in json.load(sys.stdin)["devices"]:
    seen[(kinds.get(d["udid"], "?"), d["pairing"]["state"], d["probe_status"],
          "judged" if d["readiness"] != "unknown" else "unjudged")] += 1
for key, n in sorted(seen.items()):
    print(key[0], n, *key[1:])' "$WORK/kinds"
}

# has_lines LINES : cart_state prints each of the LINES.
has_lines() {
	cart_state >"$WORK/cart-state"
	printf '%s\n' "$1" >"$WORK/cart-want"
	! grep -qvxFf "$WORK/cart-state" "$WORK/cart-want"
}

# until_cart SECONDS LINES : waits until cart_state prints each of the LINES (real seconds,
# however slow each look is on a loaded machine).
until_cart() {
	end=$(($(date +%s) + $1))
	until has_lines "$2"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		tap_trust
		sleep 0.5
	done
}

# The phones of a kind, as "UDID UDID ...".
of_kind() { awk -v k="$1" '$2 == k { print $1 }' "$WORK/kinds"; }
n_of() { of_kind "$1" | wc -l; }

# tap_trust : Trust tapped on each unsupervised phone whose dialog is on screen (once each:
# a dialog shown again after that is a failure). Nothing is done to other phones.
tap_trust() {
	[ -n "${TAPPING:-}" ] || return 0
	"$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep ':dialog=shown:' | cut -d: -f1 \
		>"$WORK/shown" || true
	while read -r udid; do
		grep -q "^$udid unsupervised$" "$WORK/kinds" ||
			fail "a dialog on $udid, which is not unsupervised"
		grep -qx "$udid" "$WORK/tapped" && fail "a second dialog on $udid"
		echo "$udid" >>"$WORK/tapped"
		sim trust "$udid"
	done <"$WORK/shown"
}

# The counts of each kind, as cart_state prints them when all are in that state.
line() { printf '%s %s %s\n' "$1" "$(n_of "$1")" "$2"; }

# --- without the identity: the prohibited phones say "prohibited", with the next step ---
pairing_config ""
start_daemon
until_cart 90 "$(line supervised-a-prohibited "prohibited not_paired unjudged")" ||
	fail "not every prohibited phone says so without the identity: $(cart_state)"
echo "ok - $(n_of supervised-a-prohibited) of $N phones: prohibited without the identity"

# pairing_metric STATE KIND : every phone of KIND has backupd_device_pairing 1 for STATE, and
# each phone all its states (a state set: $n_states series, one of them 1).
n_states=12
pairing_metric() {
	scrape "$METRICS_LISTEN" >"$WORK/scrape.txt" || fail "scrape failed"
	[ "$(grep -c '^backupd_device_pairing{' "$WORK/scrape.txt")" = $((N * n_states)) ] ||
		fail "not $n_states backupd_device_pairing series per phone"
	[ "$(grep -c '^backupd_device_pairing{.*} 1$' "$WORK/scrape.txt")" = "$N" ] ||
		fail "not one current pairing state per phone"
	for udid in $(of_kind "$2"); do
		grep -qxF "backupd_device_pairing{udid=\"$udid\",state=\"$1\"} 1" "$WORK/scrape.txt" ||
			fail "$udid: $(grep "^backupd_device_pairing{udid=\"$udid\".*} 1$" "$WORK/scrape.txt")"
	done
}
pairing_metric prohibited supervised-a-prohibited
promtool_silent "$WORK/scrape.txt"
echo "ok - backupd_device_pairing: state set of $n_states per phone, prohibited ones 1 for prohibited"

# A record the phone forgot, on a phone that pairs only with the identity: what it needs now is
# the identity, so it says prohibited; its expiry is announced at most once (when a probe saw
# the refusal of the record before the phone's refusal to pair), not at every probe.
ctl refresh >/dev/null || true
EXPIRED_ID=$(msgid pairing.expired)
for udid in $(of_kind expired-record); do
	expect_pairing 60 "$udid" prohibited not_paired
	[ "$(journal_count MESSAGE_ID="$EXPIRED_ID" DEVICE_UDID="$udid")" -le 1 ] ||
		fail "$udid: expiry announced more than once"
done
echo "ok - expired records on prohibited phones: prohibited, expiry announced at most once"
stop_daemon

# --- with organisation A's identity, the cart plugged in again: all paired, no dialog but on
# the unsupervised phones, each tapped Trust once ---
pairing_config "[Pairing]
SupervisionIdentity=$IDS_DIR/org-a.p12
SupervisionPasswordFile=$IDS_DIR/org-a.pass"
want="$(line expired-record "paired-supervised ok judged")
$(line supervised-a-allowed "paired-supervised ok judged")
$(line supervised-a-prohibited "paired-supervised ok judged")
$(line unsupervised "paired-trusted ok judged")"
: >"$WORK/tapped"
TAPPING=1
# Plugged in afresh: a dialog the first run showed on a phone that allows host pairing is gone.
for udid in $(cut -d' ' -f1 "$WORK/kinds"); do sim detach "$udid"; done
start_daemon
start=$(date +%s.%N)
for udid in $(cut -d' ' -f1 "$WORK/kinds"); do sim attach "$udid"; done
until_cart 150 "$want" || fail "not all paired, read and judged; by kind:
$(cart_state)"
end=$(date +%s.%N)
echo "ok - $N phones paired, read and judged in $(echo "$end - $start" | bc) s: $(echo "$want" | tr '\n' ';')"

# Nobody touched a supervised phone: no dialog was ever shown on one.
"$SIM" --ctl "$WORK/sim.ctl" list | tr ' ' '\n' | grep '^00008110' >"$WORK/sim-list"
for kind in supervised-a-prohibited supervised-a-allowed expired-record; do
	for udid in $(of_kind $kind); do
		grep -q "^$udid:.*:paired:.*dialog=none:supervised" "$WORK/sim-list" ||
			fail "$udid ($kind): $(grep "^$udid:" "$WORK/sim-list")"
	done
done
[ "$(sort "$WORK/tapped" | tr '\n' ' ')" = "$(of_kind unsupervised | sort | tr '\n' ' ')" ] ||
	fail "Trust tapped on: $(cat "$WORK/tapped"), unsupervised: $(of_kind unsupervised)"
echo "ok - no dialog on a supervised phone; Trust tapped once on each unsupervised phone only"

# Each phone paired by backupd by itself, journaled as automatic.
PAIR_ID=$(msgid action.pair)
for udid in $(of_kind unsupervised) $(of_kind expired-record) \
	$(of_kind supervised-a-prohibited | head -n 2); do
	[ "$(journal_count MESSAGE_ID="$PAIR_ID" DEVICE_UDID="$udid" ACTION_UID=auto STATE=done)" -ge 1 ] ||
		fail "$udid: no automatic pairing journaled"
done
pairing_metric paired-supervised supervised-a-prohibited
pairing_metric paired-supervised expired-record
pairing_metric paired-trusted unsupervised
for udid in $(of_kind expired-record); do
	[ "$(journal_count MESSAGE_ID="$EXPIRED_ID" DEVICE_UDID="$udid")" -le 2 ] ||
		fail "$udid: expiry announced more than once in a run"
done
echo "ok - automatic pairings journaled; backupd_device_pairing says paired-supervised or paired-trusted"

# The records backupd saved are the ones the real tools use, for each kind.
for kind in supervised-a-prohibited expired-record unsupervised; do
	udid=$(of_kind $kind | head -n 1)
	idevicepair -u "$udid" validate | grep -q SUCCESS || fail "idevicepair validate refused $udid"
done
echo "ok - idevicepair validate accepts the records of each kind"
