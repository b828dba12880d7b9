/* SPDX-License-Identifier: ISC */
/* ios_current: iOS is current, against MinimumIOS (a floor the admin sets) and the iOS
 * catalog ([IOS]: the update each model lacks, since when, and whether it fixes actively
 * exploited CVEs). */
#include <stdio.h>

#include "humanize.h"
#include "ios_update.h"
#include "judge.h"
#include "precondition.h"
#include "version_text.h"

#define MINIMUM 0 /* keys[MINIMUM]: MinimumIOS */

/* The catalog's word on a phone whose version passed MinimumIOS (ios_update.h). */
static void ios_catalog_verdict(const struct judge_input *in, const struct ios_version *installed,
                                struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	const struct ios_rule_input *ios = in->ios;
	struct ios_update judged;
	const struct ios_update *u = ios->update;
	char when[32], exploited[64] = "";
	int64_t waited, days;
	bool overdue;

	if (!u) {
		ios_update_judge(ios->catalog, facts->product_type, installed, ios->newest_major,
		                 &judged);
		u = &judged;
	}
	switch (u->state) {
	case IOS_UPDATE_NONE:
	case IOS_UPDATE_NOT_LISTED:
		set_verdict(out, VERDICT_OK,
		            "iOS %s: %s is not in the iOS catalog; not judged by it",
		            facts->product_version, facts->product_type);
		return;
	case IOS_UPDATE_ENDED:
		set_verdict(out, VERDICT_FAILING,
		            "iOS %s: no release in the iOS catalog supports %s any more; it no "
		            "longer receives iOS updates",
		            facts->product_version, facts->product_type);
		return;
	case IOS_UPDATE_CURRENT: {
		struct ios_version latest;
		if (ios_version_parse(u->latest, &latest) == 0 &&
		    ios_version_cmp(&latest, installed) > 0)
			set_verdict(out, VERDICT_OK,
			            "iOS %s is current in its train (%s available)",
			            facts->product_version, u->latest);
		else
			set_verdict(out, VERDICT_OK, "iOS %s is current", facts->product_version);
		return;
	}
	default:
		break;
	}
	waited = in->now - u->behind_since_unix;
	days = waited > 0 ? waited / 86400 : 0;
	overdue =
	    waited >= ios->update_grace_s ||
	    (u->n_exploited > 0 && in->now - u->exploited_since_unix >= ios->exploited_grace_s);
	if (u->n_exploited > 0)
		snprintf(exploited, sizeof(exploited), ", fixes %d actively exploited CVE%s",
		         u->n_exploited, u->n_exploited == 1 ? "" : "s");
	humanize_date(u->behind_since_unix, when, sizeof(when));
	set_verdict(out, overdue ? VERDICT_FAILING : VERDICT_OK,
	            "iOS %s: update to %s (behind since %s, %lld day%s)%s", facts->product_version,
	            u->target, when, (long long)days, days == 1 ? "" : "s", exploited);
}

static void judge(const struct judge_input *in, struct verdict *out)
{
	const char *version = in->facts->product_version;
	const char *minimum = RULE_LIMIT(*in->limits, IOS_CURRENT, MINIMUM).text;
	bool have_catalog = in->ios && in->ios->catalog;
	struct ios_version installed;

	if (minimum[0] == '\0' && !have_catalog)
		set_verdict(out, VERDICT_OK, "not checked (no iOS catalog; MinimumIOS unset)");
	else if (version[0] == '\0')
		set_verdict(out, VERDICT_UNKNOWN, "iOS version not readable");
	else if (!version_text_valid(version) || ios_version_parse(version, &installed) < 0)
		set_verdict(out, VERDICT_UNKNOWN, "iOS version \"%s\" not understood", version);
	else if (minimum[0] != '\0' && rules_compare_versions(version, minimum) < 0)
		set_verdict(out, VERDICT_FAILING, "iOS %s is older than the required %s", version,
		            minimum);
	else if (have_catalog)
		ios_catalog_verdict(in, &installed, out);
	else
		set_verdict(out, VERDICT_OK, "iOS %s (minimum %s)", version, minimum);
}

const struct precondition_info precondition_ios_current = {
    .id = PRECOND_IOS_CURRENT,
    .name = "ios_current",
    .message_id = "7608ee460c6446efb649679fe175cc68",
    .blocker = "ios-old",
    .fix = "Update iOS: Settings > General > Software Update",
    .title = "iOS up to date",
    .reads = "ProductVersion and ProductType against MinimumIOS and the iOS catalog ([IOS])",
    /* With neither a catalog nor MinimumIOS it is ok ("not checked"), never unknown. */
    .unknown_allows_ready = false,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .keys = {[MINIMUM] = {"MinimumIOS", LIMIT_VERSION, 0, 0, NULL, NULL, NULL}},
    .catalog =
        {
            .subject = "iOS version on @DEVICE_NAME@: @STATE@",
            .explain =
                "@DEVICE_NAME@ (@DEVICE_UDID@) runs iOS @IOS_VERSION@: @REASON@. Either it "
                "is below the MinimumIOS set in /etc/backupd.conf, or the iOS catalog ([IOS] "
                "CatalogURL) lists an update for its model that has been out longer than "
                "UpdateGrace, or that fixes actively exploited vulnerabilities and has been "
                "out longer than ExploitedGrace. REASON names the version to install (also "
                "in the field IOS_UPDATE) and since when the phone lacks an update; "
                "IOS_EXPLOITED_CVES lists the actively exploited CVEs that update fixes, "
                "which the phone stays exposed to until it is installed. A phone managed by "
                "an MDM can be sent the update from there. A model that no release supports "
                "any more cannot be fixed by an update: replace it.",
            .fix_more = " (on power and Wi-Fi).",
        },
};
