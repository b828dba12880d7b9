/* SPDX-License-Identifier: ISC */
/* device_space: the phone keeps some storage free. iOS needs room on the phone itself to
 * prepare an iCloud backup; a phone that is nearly full can fail to complete one even when
 * iCloud has space. How much is enough Apple does not say: MinimumFreeSpace is the margin the
 * admin sets (TotalDataAvailable of com.apple.disk_usage is what the phone reports free). */
#include "humanize.h"
#include "judge.h"
#include "precondition.h"

#define FLOOR 0 /* keys[FLOOR]: MinimumFreeSpace */

static void judge(const struct judge_input *in, struct verdict *out)
{
	int64_t capacity = in->facts->total_data_capacity;
	int64_t available = in->facts->total_data_available;
	int64_t floor = RULE_LIMIT(*in->limits, DEVICE_SPACE, FLOOR).number;
	char free_text[32], floor_text[32];

	if (floor == 0) { /* the admin's "0 = not checked": no claim about the phone either way */
		set_verdict(out, VERDICT_OK, "not checked (MinimumFreeSpace=0)");
		return;
	}
	if (available < 0 || (capacity >= 0 && available > capacity)) {
		set_verdict(out, VERDICT_UNKNOWN, "free storage on the phone not readable");
		return;
	}
	humanize_gb(available, free_text, sizeof(free_text));
	humanize_gb(floor, floor_text, sizeof(floor_text));
	if (available < floor)
		set_verdict(out, VERDICT_FAILING,
		            "%s free on the phone, less than the %s it should keep free "
		            "(MinimumFreeSpace)",
		            free_text, floor_text);
	else
		set_verdict(out, VERDICT_OK, "%s free on the phone", free_text);
}

const struct precondition_info precondition_device_space = {
    .id = PRECOND_DEVICE_SPACE,
    .name = "device_space",
    .message_id = "f8955bc095ab4442a93145deff5b343a",
    .blocker = "phone-full",
    .fix = "Free storage on the phone: Settings > General > iPhone Storage",
    .title = "Free storage on the phone",
    .reads = "com.apple.disk_usage TotalDataAvailable against MinimumFreeSpace",
    /* A margin the admin sets, not one of Apple's conditions: unread, it holds nothing back. */
    .unknown_allows_ready = true,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .keys = {[FLOOR] = {"MinimumFreeSpace", LIMIT_SIZE, 0, INT64_MAX, "1G",
                        "backupd_device_minimum_free_space_bytes",
                        "The storage a device should keep free on itself for its iCloud backup "
                        "(MinimumFreeSpace, per device or fleet-wide)."}},
    .catalog =
        {
            .subject = "Free storage on @DEVICE_NAME@: @STATE@",
            .explain = "@DEVICE_NAME@ (@DEVICE_UDID@) reports: @REASON@. iOS needs free storage on "
                       "the phone itself to prepare an iCloud backup, so a phone that is nearly "
                       "full can fail to back up even when iCloud has room. MinimumFreeSpace in "
                       "/etc/backupd.conf is the margin backupd asks for; Apple publishes no exact "
                       "figure.",
            .fix_more = " (offload unused apps, delete old videos and downloads), then let the "
                        "next backup run on power and Wi-Fi; or lower MinimumFreeSpace for this "
                        "device in /etc/backupd.conf.",
        },
};
