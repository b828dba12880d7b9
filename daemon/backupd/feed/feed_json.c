/* SPDX-License-Identifier: ISC */
/* The feed object of the control protocol (see control_protocol.h). */
#include "feed_json.h"
#include "json_text.h"

/* 0 means "not given" in struct feed_event and struct feed_state. */
static json_t *time_or_null(int64_t unix_time)
{
	return unix_time ? json_integer(unix_time) : json_null();
}

static json_t *events_json(const struct feed_event *events, int n)
{
	json_t *array = json_array();
	for (int i = 0; i < n && i < FEED_EVENTS_MAX; i++)
		json_array_append_new(array,
		                      json_pack("{s:o, s:o, s:o, s:o, s:o}", "status_type",
		                                json_text(events[i].status_type), "event_status",
		                                json_text(events[i].event_status), "message",
		                                json_text(events[i].message), "start",
		                                time_or_null(events[i].start_unix), "end",
		                                time_or_null(events[i].end_unix)));
	return array;
}

static const char *feed_state_name(const struct feed_state *feed)
{
	if (feed == NULL || !feed->have_good)
		return "unknown";
	return feed->n_active > 0 ? "event" : "operational";
}

json_t *feed_json(const struct feed_state *feed)
{
	static const struct feed_state none;
	const struct feed_state *shown = feed ? feed : &none;
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:o}", "state", feed_state_name(feed),
	                 "unreachable", shown->unreachable, "unreachable_since",
	                 time_or_null(shown->unreachable ? shown->unreachable_since : 0),
	                 "last_error", json_text(shown->last_error), "last_good",
	                 time_or_null(shown->have_good ? shown->last_good_unix : 0), "active",
	                 events_json(shown->active, shown->n_active), "upcoming",
	                 events_json(shown->upcoming, shown->n_upcoming));
}
