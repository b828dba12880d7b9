/* SPDX-License-Identifier: ISC */
/* Apple System Status feed -> struct feed_state. Pure: no I/O, no clock, no globals. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "feed_parse.h"
#include "text_clean.h"

/* Where an event stands, from its eventStatus. */
enum event_class {
	EVENT_ACTIVE,         /* ongoing: on the service now */
	EVENT_UPCOMING,       /* announced, not started */
	EVENT_OVER,           /* resolved or completed */
	EVENT_UNKNOWN_STATUS, /* a value the feed has not used before */
};

static const struct {
	const char *name;
	enum event_class class;
} event_statuses[] = {
    {"ongoing", EVENT_ACTIVE},
    {"upcoming", EVENT_UPCOMING},
    {"resolved", EVENT_OVER},
    {"completed", EVENT_OVER},
};

/* The zones the feed writes its local times in, as offsets east of UTC. */
static const struct {
	const char *name;
	int utc_offset_s;
} feed_zones[] = {
    {"PST", -8 * 3600},
    {"PDT", -7 * 3600},
    {"UTC", 0},
    {"GMT", 0},
};

static enum event_class classify_event_status(const char *event_status)
{
	for (size_t i = 0; i < sizeof(event_statuses) / sizeof(event_statuses[0]); i++)
		if (strcasecmp(event_status, event_statuses[i].name) == 0)
			return event_statuses[i].class;
	return EVENT_UNKNOWN_STATUS;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), so the
 * result never depends on the process's TZ. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
	year -= month <= 2;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	int64_t year_of_era = year - era * 400;
	int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

static int zone_offset(const char *zone, int *out_offset_s)
{
	for (size_t i = 0; i < sizeof(feed_zones) / sizeof(feed_zones[0]); i++) {
		if (strcmp(zone, feed_zones[i].name) == 0) {
			*out_offset_s = feed_zones[i].utc_offset_s;
			return 0;
		}
	}
	return -1;
}

int feed_parse_local_date(const char *text, int64_t *out_unix)
{
	int month, day, year, hour, minute, consumed = 0, offset_s;
	char zone[8];

	if (sscanf(text, "%2d/%2d/%4d %2d:%2d %7s%n", &month, &day, &year, &hour, &minute, zone,
	           &consumed) != 6 ||
	    text[consumed] != '\0')
		return -1;
	if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1970 || hour > 23 ||
	    hour < 0 || minute > 59 || minute < 0 || zone_offset(zone, &offset_s) != 0)
		return -1;
	*out_unix =
	    days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 - offset_s;
	return 0;
}

/* Copies a feed string where it enters backupd: made visible as device strings are
 * (text_clean: controls, C1, bidi and invisible characters become escapes), cut between
 * characters. */
static void copy_text(char *dst, size_t dst_size, const char *src)
{
	text_clean(dst, dst_size, src, strlen(src));
}

static const char *string_member(const json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));
	return value ? value : "";
}

/* epochXDate (milliseconds UTC) when the feed gives one, else the local-time text, else 0. */
static int64_t event_time(const json_t *event, const char *epoch_key, const char *text_key)
{
	const json_t *epoch = json_object_get(event, epoch_key);
	int64_t unix_s = 0;

	if (json_is_integer(epoch) && json_integer_value(epoch) > 0)
		return json_integer_value(epoch) / 1000;
	if (json_is_real(epoch) && json_real_value(epoch) > 0 && json_real_value(epoch) < 1e15)
		return (int64_t)(json_real_value(epoch) / 1000);
	if (feed_parse_local_date(string_member(event, text_key), &unix_s) == 0)
		return unix_s;
	return 0;
}

static void read_event(const json_t *object, struct feed_event *event)
{
	memset(event, 0, sizeof(*event));
	copy_text(event->status_type, sizeof(event->status_type),
	          string_member(object, "statusType"));
	copy_text(event->event_status, sizeof(event->event_status),
	          string_member(object, "eventStatus"));
	copy_text(event->message, sizeof(event->message), string_member(object, "message"));
	event->start_unix = event_time(object, "epochStartDate", "startDate");
	event->end_unix = event_time(object, "epochEndDate", "endDate");
}

/* An event whose status we do not know counts as active unless it says it has ended: the
 * feed lists it on the service, and a missed outage costs more than an extra advisory. */
static bool event_is_active(const struct feed_event *event, int64_t now_unix)
{
	switch (classify_event_status(event->event_status)) {
	case EVENT_ACTIVE:
		return true;
	case EVENT_UNKNOWN_STATUS:
		return event->end_unix == 0 || event->end_unix > now_unix;
	case EVENT_UPCOMING:
	case EVENT_OVER:
		break;
	}
	return false;
}

static void collect_events(const json_t *events, int64_t now_unix, struct feed_state *state)
{
	size_t index;
	const json_t *object;
	struct feed_event event;

	json_array_foreach(events, index, object)
	{
		if (!json_is_object(object))
			continue;
		read_event(object, &event);
		if (event_is_active(&event, now_unix)) {
			if (state->n_active < FEED_EVENTS_MAX)
				state->active[state->n_active++] = event;
		} else if (classify_event_status(event.event_status) == EVENT_UPCOMING) {
			if (state->n_upcoming < FEED_EVENTS_MAX)
				state->upcoming[state->n_upcoming++] = event;
		}
	}
}

static const json_t *find_service(const json_t *services, const char *name)
{
	size_t index;
	const json_t *service;

	json_array_foreach(services, index, service)
	{
		if (strcmp(string_member(service, "serviceName"), name) == 0)
			return service;
	}
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool is_identifier_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.';
}

/* Narrows [*start, *end) to the JSON text: drops a UTF-8 BOM, surrounding whitespace and a
 * "name( ... );" JSONP wrapper. */
static int unwrap_payload(const char **start, const char **end, char *err, size_t err_size)
{
	const char *p = *start, *q = *end;

	if (q - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < q && is_space(*p))
		p++;
	while (q > p && is_space(q[-1]))
		q--;
	if (p == q) {
		snprintf(err, err_size, "empty body");
		return -1;
	}
	if (*p == '<') {
		snprintf(err, err_size, "an HTML page, not the status feed");
		return -1;
	}
	if (*p != '{') {
		const char *name = p;

		while (p < q && is_identifier_char(*p))
			p++;
		while (p < q && is_space(*p))
			p++;
		if (q > p && q[-1] == ';')
			q--;
		while (q > p && is_space(q[-1]))
			q--;
		if (p == name || p == q || *p != '(' || q[-1] != ')') {
			snprintf(err, err_size,
			         "neither a JSON object nor a jsonCallback(...) wrapper");
			return -1;
		}
		p++;
		q--;
	}
	*start = p;
	*end = q;
	return 0;
}

static json_t *load_root(const char *body, size_t len, char *err, size_t err_size)
{
	const char *start = body, *end = body + len;
	json_error_t json_error;
	json_t *root;

	if (unwrap_payload(&start, &end, err, err_size) != 0)
		return NULL;
	root = json_loadb(start, (size_t)(end - start), 0, &json_error);
	if (!root) {
		snprintf(err, err_size, "not valid JSON: %s (line %d, column %d)", json_error.text,
		         json_error.line, json_error.column);
		return NULL;
	}
	if (!json_is_object(root) || !json_is_array(json_object_get(root, "services"))) {
		snprintf(err, err_size, "no services array in the feed");
		json_decref(root);
		return NULL;
	}
	return root;
}

int feed_parse(const char *body, size_t len, int64_t now_unix, struct feed_state *state, char *err,
               size_t err_size)
{
	json_t *root = load_root(body, len, err, err_size);
	const json_t *service;
	struct feed_state next;

	if (!root)
		return -1;
	memset(&next, 0, sizeof(next));
	next.have_good = true;
	next.last_good_unix = now_unix;
	service = find_service(json_object_get(root, "services"), FEED_SERVICE_NAME);
	if (service)
		collect_events(json_object_get(service, "events"), now_unix, &next);
	json_decref(root);
	*state = next;
	return 0;
}
