/* SPDX-License-Identifier: ISC */
/* wifi: joined to a Wi-Fi network (diagnostics_relay IORegistry; often not answered). */
#include "judge.h"
#include "precondition.h"

static void judge(const struct judge_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;

	if (facts->wifi_associated == TRI_YES && facts->wifi_ssid[0] != '\0')
		set_verdict(out, VERDICT_OK, "on Wi-Fi \"%s\"", facts->wifi_ssid);
	else
		tristate_verdict(facts->wifi_associated, out, "on Wi-Fi", "not on Wi-Fi",
		                 "Wi-Fi state not readable");
}

const struct precondition_info precondition_wifi = {
    .id = PRECOND_WIFI,
    .name = "wifi",
    .message_id = "04cbb3647b6840008ea2ccfd9189abf8",
    .blocker = "wifi",
    .fix = "Join a Wi-Fi network and keep the phone in range",
    .title = "Wi-Fi",
    .reads = "diagnostics_relay IORegistry (AppleBCMWLANSkywalkInterface, IO80211Interface)",
    /* The diagnostics relay often does not answer; backup_recent still shows whether backups
     * happen. */
    .unknown_allows_ready = true,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .catalog =
        {
            .subject = "Wi-Fi on @DEVICE_NAME@: @STATE@",
            .explain = "An automatic iCloud backup needs a Wi-Fi connection. @DEVICE_NAME@ "
                       "(@DEVICE_UDID@) reports: @REASON@.",
            .fix_more = ". In Settings > Wi-Fi, join the cart's network. If it joined but keeps "
                        "dropping, forget the network and join it again, or reset the network "
                        "settings (Settings > General > Transfer or Reset iPhone > Reset > Reset "
                        "Network Settings).",
        },
};
