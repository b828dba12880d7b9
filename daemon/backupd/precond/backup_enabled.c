/* SPDX-License-Identifier: ISC */
/* backup_enabled: iCloud Backup is switched on (com.apple.mobile.backup CloudBackupEnabled). */
#include "judge.h"
#include "precondition.h"

static void judge(const struct judge_input *in, struct verdict *out)
{
	tristate_verdict(in->facts->backup_enabled, out, "iCloud Backup is on",
	                 "iCloud Backup is switched off", "iCloud Backup setting not readable");
}

const struct precondition_info precondition_backup_enabled = {
    .id = PRECOND_BACKUP_ENABLED,
    .name = "backup_enabled",
    .message_id = "85699e7a22984e0688ac183384953538",
    .blocker = "backup-off",
    .fix = "Switch iCloud Backup on: Settings > your name > iCloud > iCloud Backup",
    .title = "iCloud Backup on",
    .reads = "com.apple.mobile.backup CloudBackupEnabled",
    .unknown_allows_ready = false,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .catalog =
        {
            .subject = "iCloud Backup on @DEVICE_NAME@: @STATE@",
            .explain =
                "iCloud Backup is switched off on @DEVICE_NAME@ (@DEVICE_UDID@) when STATE is "
                "failing: "
                "@REASON@. The phone will not back up to iCloud at all until it is switched on.",
            .fix_more = ". A STATE of ok means it has been switched on again.",
        },
};
