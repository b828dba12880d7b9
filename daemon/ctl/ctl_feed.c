/* SPDX-License-Identifier: ISC */
/* backupctl feed: what Apple's status feed says about iCloud Backup. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "humanize.h"
#include "control_protocol.h"
#include "ctl.h"

/* UTC, so the output does not depend on the reader's time zone. */
static const char *format_utc(const json_t *value, char *buffer, size_t size)
{
	if (!json_is_integer(value))
		return "?";
	time_t t = (time_t)json_integer_value(value);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buffer, size, "%Y-%m-%d %H:%M UTC", &tm);
	return buffer;
}

static void print_events(const char *title, const json_t *events)
{
	printf("%s:%s\n", title, json_array_size(events) ? "" : " none");
	size_t index;
	const json_t *event;
	json_array_foreach(events, index, event)
	{
		char start[32], end[32];
		const json_t *end_value = json_object_get(event, "end");
		printf("  %s (%s) %s%s%s: %s\n",
		       json_string_value(json_object_get(event, "status_type")),
		       json_string_value(json_object_get(event, "event_status")),
		       format_utc(json_object_get(event, "start"), start, sizeof(start)),
		       json_is_integer(end_value) ? " to " : "",
		       json_is_integer(end_value) ? format_utc(end_value, end, sizeof(end)) : "",
		       json_string_value(json_object_get(event, "message")));
	}
}

static void print_feed(const json_t *feed, int64_t now)
{
	char summary[256], ago[32];
	const json_t *last_good = json_object_get(feed, "last_good");
	printf("Apple iCloud Backup: %s\n", ctl_feed_summary(feed, now, summary, sizeof(summary)));
	printf("Last good feed: %s\n",
	       json_is_integer(last_good)
	           ? humanize_ago(json_integer_value(last_good), now, ago, sizeof(ago))
	           : "never");
	if (json_is_true(json_object_get(feed, "unreachable"))) {
		const json_t *since = json_object_get(feed, "unreachable_since");
		printf("Unreachable since: %s (%s)\n",
		       json_is_integer(since)
		           ? humanize_ago(json_integer_value(since), now, ago, sizeof(ago))
		           : "?",
		       json_string_value(json_object_get(feed, "last_error")));
	}
	print_events("Active events", json_object_get(feed, "active"));
	print_events("Upcoming", json_object_get(feed, "upcoming"));
}

const char *ctl_feed_summary(const json_t *feed, int64_t now, char *buffer, size_t size)
{
	const char *state = json_string_value(json_object_get(feed, "state"));
	const json_t *first = json_array_get(json_object_get(feed, "active"), 0);
	char ago[32];
	if (state != NULL && strcmp(state, "event") == 0 && first != NULL) {
		const json_t *start = json_object_get(first, "start");
		snprintf(buffer, size, "%s%s%s",
		         json_string_value(json_object_get(first, "status_type")),
		         json_is_integer(start) ? ", started " : "",
		         json_is_integer(start)
		             ? humanize_ago(json_integer_value(start), now, ago, sizeof(ago))
		             : "");
	} else {
		snprintf(buffer, size, "%s", state ? state : "unknown");
	}
	if (json_is_true(json_object_get(feed, "unreachable"))) {
		size_t used = strlen(buffer);
		snprintf(buffer + used, size - used, " (status feed unreachable)");
	}
	return buffer;
}

int ctl_render_feed(const struct ctl_options *options, const json_t *reply)
{
	const json_t *feed = json_object_get(reply, "feed");
	if (options->json)
		ctl_print_json(reply);
	else
		print_feed(feed, json_integer_value(json_object_get(reply, "now")));
	const char *state = json_string_value(json_object_get(feed, "state"));
	return state && strcmp(state, "operational") == 0 ? CTL_EXIT_OK : CTL_EXIT_NOT_READY;
}
