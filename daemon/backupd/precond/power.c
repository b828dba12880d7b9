/* SPDX-License-Identifier: ISC */
/* power: connected to power that charges (com.apple.mobile.battery). */
#include <stdio.h>

#include "judge.h"
#include "precondition.h"

/* " (battery 80%)" or "" when the level is unknown. */
static const char *battery_suffix(const struct device_facts *facts, char *buf, size_t size)
{
	buf[0] = '\0';
	if (facts->battery_percent >= 0 && facts->battery_percent <= 100)
		snprintf(buf, size, " (battery %d%%)", facts->battery_percent);
	return buf;
}

/* iOS's Optimised Battery Charging holds a phone on power at 80% (not charging, not full):
 * only below that does "not charging" point at a cable or port that cannot charge. */
#define OPTIMISED_CHARGING_HOLD_PERCENT 80

static void judge(const struct judge_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	char battery[24];

	battery_suffix(facts, battery, sizeof(battery));
	/* A battery that charges is on power, whatever ExternalConnected says or omits. */
	if (facts->battery_charging == TRI_YES)
		set_verdict(out, VERDICT_OK, "on power, charging%s", battery);
	else if (facts->external_connected == TRI_UNKNOWN)
		set_verdict(out, VERDICT_UNKNOWN, "power state not readable%s", battery);
	else if (facts->external_connected == TRI_NO)
		set_verdict(out, VERDICT_FAILING, "not on power%s", battery);
	else if (facts->fully_charged == TRI_YES)
		set_verdict(out, VERDICT_OK, "on power, fully charged%s", battery);
	else if (facts->battery_charging == TRI_NO && facts->fully_charged == TRI_NO &&
	         facts->battery_percent >= OPTIMISED_CHARGING_HOLD_PERCENT)
		set_verdict(out, VERDICT_OK,
		            "on power, charging paused%s (Optimised Battery Charging "
		            "holds at 80%%)",
		            battery);
	else if (facts->battery_charging == TRI_NO && facts->fully_charged == TRI_NO)
		set_verdict(out, VERDICT_FAILING,
		            "on power but not charging: the cable, port or adapter cannot charge "
		            "it%s",
		            battery);
	else
		set_verdict(out, VERDICT_UNKNOWN, "on power, charging state not readable%s",
		            battery);
}

const struct precondition_info precondition_power = {
    .id = PRECOND_POWER,
    .name = "power",
    .message_id = "4b43fe55ee5a44e4ab69c8c9f8712c84",
    .blocker = "power",
    .fix = "Use a working cable and a port or adapter that charges (the official one if others "
           "fail)",
    .title = "On power",
    .reads = "com.apple.mobile.battery ExternalConnected, BatteryIsCharging, FullyCharged",
    .unknown_allows_ready = false,
    .scope = JUDGE_DEVICE,
    .judge = judge,
    .catalog =
        {
            .subject = "Power on @DEVICE_NAME@: @STATE@",
            .explain = "An automatic iCloud backup waits until the phone is connected to power. "
                       "@DEVICE_NAME@ (@DEVICE_UDID@) reports: @REASON@. \"On power but not "
                       "charging\" means the cable, port or adapter delivers too little current to "
                       "charge the phone.",
            .fix_more = ". Try another cable and USB port or power adapter first.",
        },
};
