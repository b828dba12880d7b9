# SPDX-License-Identifier: ISC
# The real idevicebackup2 switches iCloud Backup on: notification_proxy, mobilebackup2 with
# the DeviceLink version exchange, Hello, EnableCloudBackup; the phone then reads
# CloudBackupEnabled true. Refusing phones answer with an ErrorCode the tool prints.
. "$(dirname "$0")/lib.sh"
ACTIONS="$FIXTURES/../actions"
start_sim --profiles "$FIXTURES" --profile "$ACTIONS/no-account.plist" \
	--profile "$ACTIONS/restricted.plist"

enabled() { tool ideviceinfo -u "$1" -q com.apple.mobile.backup -k CloudBackupEnabled; }
cloud() { tool idevicebackup2 -u "$1" cloud "$2" 2>&1; }

u=$(udid_of backup-off)
expect_eq "backup-off starts off" "$(enabled "$u")" "false"
rc=0
out=$(cloud "$u" on) || rc=$?
expect_eq "cloud on exits 0" "$rc" "0"
expect_contains "cloud on succeeds" "$out" "Cloud backup has been enabled successfully."
case "$out" in *"Could not start service"*) fail "a service was refused: $out" ;; esac
expect_eq "CloudBackupEnabled now true" "$(enabled "$u")" "true"

rc=0
out=$(cloud "$u" off) || rc=$?
expect_contains "cloud off succeeds" "$out" "Cloud backup has been disabled successfully."
expect_eq "CloudBackupEnabled false again" "$(enabled "$u")" "false"

for kc in no-account:1 restricted:22; do
	k=${kc%:*}
	v=$(FIXTURES="$ACTIONS" udid_of $k)
	rc=0
	out=$(cloud "$v" on) || rc=$?
	expect_contains "$k: tool prints the ErrorCode" "$out" "ErrorCode ${kc#*:}:"
	expect_contains "$k: could not enable" "$out" "Could not enable cloud backup."
	[ "$rc" -ne 0 ] && pass "$k: non-zero exit ($rc)" || fail "$k: exit 0"
	expect_eq "$k: still off" "$(enabled "$v")" "false"
done
out=$(cloud "$(FIXTURES="$ACTIONS" udid_of no-account)" on) || true
expect_contains "no-account text" "$out" "No account exists (MBErrorDomain/1)"

# The answer changes through the control socket.
ctl cloudbackup "$u" restricted >/dev/null
out=$(cloud "$u" on) || true
expect_contains "cloudbackup restricted via control" "$out" "ErrorCode 22:"
ctl cloudbackup "$u" ok >/dev/null
expect_eq "control rejects unknown answer" "$(ctl cloudbackup "$u" maybe)" \
	"error unknown answer (ok, no-account, restricted, setup-unfinished)"

# A phone locked since boot refuses the lockdownd session the tool needs.
out=$(cloud "$(udid_of locked-since-boot)" on) || true
expect_contains "locked since boot" "$out" "Could not connect to lockdownd, error code -17"
finish
