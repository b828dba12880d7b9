/* SPDX-License-Identifier: ISC */
/* Builds the alert command's view of an alert: one list of (name, value) pairs, rendered
 * both as environment variables and as JSON, so the two cannot disagree. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hook_event.h"
#include "json_text.h"
#include "xmalloc.h"
#include "precondition.h"

#define FIELDS_MAX (24 + JOURNAL_EXTRA_MAX)

struct field {
	char name[40];    /* lower case: the JSON key; BACKUPD_ + upper case: the variable */
	const char *text; /* NULL or "" = left out */
	int64_t number;   /* used when is_number */
	bool is_number;
};

struct field_list {
	struct field items[FIELDS_MAX];
	size_t n;
	char numbers[8][24];
	char times[3][32];
};

const char *hook_event_kind_name(enum alert_event_kind kind)
{
	static const char *const names[] = {
	    [ALERT_EVENT_FAILING] = "failing",
	    [ALERT_EVENT_RECOVERED] = "recovered",
	    [ALERT_EVENT_REPEAT] = "repeat",
	    [ALERT_EVENT_FORGOTTEN] = "forgotten",
	};
	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

static void add_text(struct field_list *list, const char *name, const char *text)
{
	if (!text || !*text || list->n == FIELDS_MAX)
		return;
	struct field *f = &list->items[list->n++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->text = text;
	f->is_number = false;
}

static void add_number(struct field_list *list, const char *name, int64_t number)
{
	if (list->n == FIELDS_MAX)
		return;
	struct field *f = &list->items[list->n++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->number = number;
	f->is_number = true;
}

/* name (ISO 8601, UTC) and name_epoch (Unix seconds), when the time is known. */
static void add_time(struct field_list *list, const char *name, int64_t unix_time, int slot)
{
	time_t t = (time_t)unix_time;
	struct tm tm;
	char epoch_name[40];

	if (unix_time <= 0 || !gmtime_r(&t, &tm))
		return;
	strftime(list->times[slot], sizeof(list->times[slot]), "%Y-%m-%dT%H:%M:%SZ", &tm);
	add_text(list, name, list->times[slot]);
	snprintf(epoch_name, sizeof(epoch_name), "%s_epoch", name);
	add_number(list, epoch_name, unix_time);
}

/* "KEY=value" extras of the journal entry (PROBE_STATUS=, STATUS_TYPE=, ...). */
static void add_extras(struct field_list *list, const struct journal_entry *entry)
{
	for (int i = 0; i < JOURNAL_EXTRA_MAX; i++) {
		const char *extra = entry->extra[i];
		const char *eq = extra ? strchr(extra, '=') : NULL;
		char name[40];
		size_t length;

		if (!eq || eq == extra)
			continue;
		length = (size_t)(eq - extra) < sizeof(name) - 1 ? (size_t)(eq - extra)
		                                                 : sizeof(name) - 1;
		for (size_t j = 0; j < length; j++)
			name[j] = (char)tolower((unsigned char)extra[j]);
		name[length] = '\0';
		add_text(list, name, eq + 1);
	}
}

static void collect(struct field_list *list, const struct alert_event *alert,
                    const struct hook_context *ctx)
{
	const struct journal_entry *e = alert->entry;
	int id = e->precondition ? precondition_by_name(e->precondition) : -1;

	add_text(list, "event", hook_event_kind_name(alert->kind));
	add_text(list, "udid", e->device_udid);
	add_text(list, "name", e->device_name);
	add_text(list, "product_type", e->product_type);
	add_text(list, "ios_version", e->ios_version);
	add_text(list, "precondition", e->precondition);
	add_text(list, "state", e->state);
	add_text(list, "reason", e->reason);
	if (id >= 0 && alert->kind != ALERT_EVENT_RECOVERED)
		add_text(list, "fix", precondition_info((enum precondition_id)id)->fix);
	add_text(list, "message_id", e->message_id);
	add_text(list, "message", e->message);
	add_text(list, "priority", journal_priority_word(e->priority));
	add_text(list, "host", ctx->host);
	add_time(list, "time", ctx->now_unix, 0);
	add_time(list, "failing_since", alert->since_unix, 1);
	add_number(list, "repeat", alert->repeats);
	add_time(list, "next_repeat", ctx->next_repeat_unix, 2);
	add_number(list, "dropped_before", (int64_t)ctx->dropped_before);
	add_extras(list, e);
}

static char *env_string(const struct field *f)
{
	char name[64], *out;
	size_t i;

	for (i = 0; f->name[i] && i < sizeof(name) - 1; i++)
		name[i] = (char)toupper((unsigned char)f->name[i]);
	name[i] = '\0';
	if (f->is_number) {
		if (asprintf(&out, "BACKUPD_%s=%" PRId64, name, f->number) < 0)
			abort();
	} else if (asprintf(&out, "BACKUPD_%s=%s", name, f->text) < 0) {
		abort();
	}
	return out;
}

static char *json_line(const struct field_list *list)
{
	json_t *obj = json_object();
	char *text, *line;

	for (size_t i = 0; i < list->n; i++) {
		const struct field *f = &list->items[i];
		json_object_set_new(obj, f->name,
		                    f->is_number ? json_integer(f->number) : json_text(f->text));
	}
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!text || asprintf(&line, "%s\n", text) < 0)
		abort();
	free(text);
	return line;
}

struct hook_event *hook_event_new(const struct alert_event *alert, const struct hook_context *ctx)
{
	struct hook_event *event = xcalloc(1, sizeof(*event));
	struct field_list list = {.n = 0};
	const struct journal_entry *e = alert->entry;

	collect(&list, alert, ctx);
	event->env = xcalloc(list.n + 1, sizeof(*event->env));
	for (size_t i = 0; i < list.n; i++)
		event->env[event->n_env++] = env_string(&list.items[i]);
	event->json = json_line(&list);
	snprintf(event->label, sizeof(event->label), "%s%s",
	         alert->kind == ALERT_EVENT_REPEAT ? "again: " : "",
	         e->message ? e->message : hook_event_kind_name(alert->kind));
	snprintf(event->udid, sizeof(event->udid), "%s", e->device_udid ? e->device_udid : "");
	snprintf(event->precondition, sizeof(event->precondition), "%s",
	         e->precondition ? e->precondition : "");
	return event;
}

void hook_event_free(struct hook_event *event)
{
	if (!event)
		return;
	for (size_t i = 0; i < event->n_env; i++)
		free(event->env[i]);
	free(event->env);
	free(event->json);
	free(event);
}
