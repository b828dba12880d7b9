/* SPDX-License-Identifier: ISC */
/* backup_recent: the last iCloud backup is younger than MaxBackupAge. The only proof that
 * backups happen; judged from the remembered date while the phone cannot be read. */
#include "humanize.h"
#include "judge.h"
#include "precondition.h"

/* A backup date this far in the future is still believed (phone and host clocks drift). */
#define BACKUP_DATE_SKEW_S 600
#define MAX_AGE            0 /* keys[MAX_AGE]: MaxBackupAge */

static void judge(const struct judge_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	int64_t limit = RULE_LIMIT(*in->limits, BACKUP_RECENT, MAX_AGE).number;
	char age_text[32], limit_text[32];
	int64_t age;

	if (!facts->has_last_backup) {
		if (facts->last_backup_unreadable)
			set_verdict(out, VERDICT_UNKNOWN, "last backup date not readable");
		else
			set_verdict(out, VERDICT_FAILING, "never backed up");
		return;
	}
	/* Bounded: a date from a file or a device must not overflow the subtraction. */
	if (facts->last_backup_unix < FACTS_DATE_MIN_UNIX ||
	    facts->last_backup_unix > FACTS_DATE_MAX_UNIX ||
	    __builtin_sub_overflow(in->now, facts->last_backup_unix, &age)) {
		set_verdict(out, VERDICT_UNKNOWN, "last backup date not understood");
		return;
	}
	if (age < -BACKUP_DATE_SKEW_S) {
		set_verdict(out, VERDICT_UNKNOWN,
		            "last backup date is in the future: check the phone's clock");
		return;
	}
	humanize_duration(age, age_text, sizeof(age_text));
	humanize_duration(limit, limit_text, sizeof(limit_text));
	if (age > limit)
		set_verdict(out, VERDICT_FAILING, "last backup %s ago (limit %s)", age_text,
		            limit_text);
	else
		set_verdict(out, VERDICT_OK, "last backup %s ago", age_text);
}

const struct precondition_info precondition_backup_recent = {
    .id = PRECOND_BACKUP_RECENT,
    .name = "backup_recent",
    .message_id = "dffe370032da4e569d4e3b697d77c4ad",
    .blocker = "stale-backup",
    .fix = "Check the other preconditions; then sign out of iCloud and back in, or restart the "
           "phone",
    .title = "Recent backup",
    .reads = "com.apple.mobile.backup LastCloudBackupDate against MaxBackupAge",
    .unknown_allows_ready = false,
    .scope = JUDGE_REMEMBERED,
    .judge = judge,
    .keys = {[MAX_AGE] = {"MaxBackupAge", LIMIT_AGE, 60, 3650 * 86400LL, "36h", NULL, NULL}},
    .catalog =
        {
            .subject = "Last iCloud backup of @DEVICE_NAME@: @STATE@",
            .explain = "@DEVICE_NAME@ (@DEVICE_UDID@) has not completed an iCloud backup within "
                       "MaxBackupAge: @REASON@. Its data since then would be lost with the phone.",
            .fix_more =
                ". In this order:\n"
                "1. Clear every other failing precondition of this phone (backupctl status): "
                "iCloud "
                "Backup on, screen locked, charging power, Wi-Fi, enough iCloud storage, current "
                "iOS.\n"
                "2. Check Apple's System Status page (https://www.apple.com/support/systemstatus/) "
                "for an iCloud Backup problem.\n"
                "3. Start a backup by hand: Settings > your name > iCloud > iCloud Backup > Back "
                "Up "
                "Now, and watch for an error message.\n"
                "4. Sign out of iCloud and back in (Settings > your name > Sign Out).\n"
                "5. Restart the phone.\n"
                "6. Reset settings (Settings > General > Transfer or Reset iPhone > Reset > Reset "
                "All Settings; data stays).\n"
                "7. Update iOS: Settings > General > Software Update.",
        },
};
