/* SPDX-License-Identifier: ISC */
/* icloud_storage: an estimate. The iCloud quota is not visible over USB: the data on the
 * phone is compared with the quota the admin configures (ICloudQuota). */
#include "humanize.h"
#include "judge.h"
#include "precondition.h"

#define QUOTA 0 /* keys[QUOTA]: ICloudQuota */

static void judge(const struct judge_input *in, struct verdict *out)
{
	int64_t capacity = in->facts->total_data_capacity;
	int64_t available = in->facts->total_data_available;
	int64_t quota = RULE_LIMIT(*in->limits, ICLOUD_STORAGE, QUOTA).number;
	char used_text[32], quota_text[32];
	int64_t used;

	if (capacity < 0 || available < 0 || available > capacity) {
		set_verdict(out, VERDICT_UNKNOWN, "estimate: device storage not readable");
		return;
	}
	used = capacity - available;
	humanize_gb(used, used_text, sizeof(used_text));
	humanize_gb(quota, quota_text, sizeof(quota_text));
	if (used > quota)
		set_verdict(out, VERDICT_FAILING,
		            "estimate: %s of data on the phone, more than the %s iCloud quota",
		            used_text, quota_text);
	else
		set_verdict(out, VERDICT_OK, "estimate: %s of data fits the %s iCloud quota",
		            used_text, quota_text);
}

const struct precondition_info precondition_icloud_storage = {
    .id = PRECOND_ICLOUD_STORAGE,
    .name = "icloud_storage",
    .message_id = "58beffd79df54d6080f03fbbcbb3d815",
    .blocker = "storage",
    .fix = "Free or buy iCloud storage: Settings > your name > iCloud > Manage Storage",
    .title = "iCloud storage",
    .reads = "com.apple.disk_usage TotalDataCapacity, TotalDataAvailable against ICloudQuota",
    /* An estimate at best. */
    .unknown_allows_ready = true,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .keys = {[QUOTA] = {"ICloudQuota", LIMIT_SIZE, 1, INT64_MAX, "5G",
                        "backupd_device_icloud_quota_bytes",
                        "The iCloud storage the device's backup must fit in (ICloudQuota, per "
                        "device or fleet-wide)."}},
    .catalog =
        {
            .subject = "iCloud storage for @DEVICE_NAME@: @STATE@ (estimate)",
            .explain = "backupd estimates from the data used on @DEVICE_NAME@ (@DEVICE_UDID@) "
                       "against the configured iCloud quota whether a backup fits: @REASON@. This "
                       "is an estimate; the phone itself says for sure in Settings > your name > "
                       "iCloud.",
            .fix_more = " (delete old backups of other devices, large files, or exclude apps from "
                        "the backup), or raise ICloudQuota for this device in /etc/backupd.conf if "
                        "the account already has more storage than configured.",
        },
};
