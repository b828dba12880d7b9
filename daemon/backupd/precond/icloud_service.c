/* SPDX-License-Identifier: ISC */
/* icloud_service: fleet-wide, Apple's System Status feed shows no event on iCloud Backup. */
#include <stdio.h>

#include "feed.h"
#include "humanize.h"
#include "judge.h"
#include "precondition.h"

static void active_event_verdict(const struct feed_event *event, int n_active, struct verdict *out)
{
	char since[48] = "";
	char more[24] = "";

	if (event->start_unix > 0) {
		char when[32];
		snprintf(since, sizeof(since), " since %s",
		         humanize_utc(event->start_unix, when, sizeof(when)));
	}
	if (n_active > 1)
		snprintf(more, sizeof(more), " (+%d more)", n_active - 1);
	set_verdict(out, VERDICT_FAILING, "Apple reports %s on iCloud Backup%s%s: %s",
	            event->status_type[0] != '\0' ? event->status_type : "an event", since, more,
	            event->message);
}

/* The reason names absolute times, so it does not change every second. */
static void judge(const struct judge_input *in, struct verdict *out)
{
	const struct feed_state *feed = in->feed;
	char when[32];

	if (feed == NULL || !feed->have_good)
		set_verdict(out, VERDICT_UNKNOWN, "no Apple status yet");
	else if (feed->n_active > 0)
		active_event_verdict(&feed->active[0], feed->n_active, out);
	else if (feed->unreachable)
		set_verdict(out, VERDICT_OK,
		            "operational (status feed unreachable since %s; last known state)",
		            humanize_utc(feed->unreachable_since, when, sizeof(when)));
	else
		set_verdict(out, VERDICT_OK, "operational");
}

const struct precondition_info precondition_icloud_service = {
    .id = PRECOND_ICLOUD_SERVICE,
    .name = "icloud_service",
    .message_id = "9801754bd5c944f382ed52c92b7e52f9",
    .blocker = "apple-outage",
    .fix = "Wait for Apple: see https://www.apple.com/support/systemstatus/",
    .title = "Apple's iCloud Backup service",
    .reads = "Apple's System Status feed (StatusFeedURL), fleet-wide",
    /* Apple's feed may be off or unreachable; an event seen is still failing. */
    .unknown_allows_ready = true,
    .scope = JUDGE_FLEET,
    .judge = judge,
    .catalog =
        {
            .subject = "Apple's iCloud Backup service: @STATE@",
            .explain = "Apple's System Status feed reports an event on iCloud Backup (STATUS_TYPE, "
                       "EVENT_MESSAGE, SINCE): @REASON@. This one entry covers the whole fleet: "
                       "while Apple's service has a problem no phone may back up, and nothing done "
                       "on the phones will fix it.",
            .fix_more = ". backupd logs again when the event has ended. Do not reset phones for "
                        "it.",
            .support = "https://www.apple.com/support/systemstatus/",
        },
};
