/* SPDX-License-Identifier: ISC */
/* Transitions of verdicts into journal entries; the policy is documented in alert.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "message_ids.h"
#include "precondition.h"

enum change {
	CHANGE_NONE,      /* nothing new, unknown, or held back by the hold-off */
	CHANGE_SILENT_OK, /* first ok: remember, write nothing */
	CHANGE_FAIL,
	CHANGE_RECOVER,
	CHANGE_REPEAT, /* still failing as announced: told the consumer again */
};

/* event: what the consumer is told besides the journal; NULL = the journal only. */
static void emit(const struct alert_sink *sink, const struct journal_entry *entry,
                 const struct alert_event *event)
{
	if (sink && sink->emit) {
		sink->emit(sink->ctx, entry);
		return;
	}
	if (!event || event->kind != ALERT_EVENT_REPEAT)
		journal_emit(entry);
	const struct alert_consumer *consumer = sink ? sink->consumer : NULL;
	if (event && consumer && consumer->event)
		consumer->event(consumer->ctx, event);
}

static struct alert_event transition(const struct journal_entry *entry, bool failing,
                                     int64_t since_unix)
{
	return (struct alert_event){failing ? ALERT_EVENT_FAILING : ALERT_EVENT_RECOVERED, entry,
	                            since_unix, 0};
}

static bool held_back(const struct alert_memory *memory, int64_t now, int64_t holdoff_s)
{
	if (memory->announced_at_unix <= 0 || holdoff_s <= 0) /* nothing told yet */
		return false;
	if (now < memory->announced_at_unix) /* the clock stepped back: do not go silent */
		return false;
	return now - memory->announced_at_unix < holdoff_s;
}

/* status distinguishes failures of reachable; other preconditions pass PROBE_NOT_YET. */
static enum change decide(const struct alert_memory *memory, enum verdict_state state,
                          enum probe_status status, int64_t now, int64_t holdoff_s)
{
	enum change change = CHANGE_NONE;

	if (state == VERDICT_OK && memory->announced == VERDICT_UNKNOWN)
		return CHANGE_SILENT_OK;
	if (state == VERDICT_OK && memory->announced == VERDICT_FAILING)
		change = CHANGE_RECOVER;
	if (state == VERDICT_FAILING &&
	    (memory->announced != VERDICT_FAILING || memory->announced_probe_status != status))
		change = CHANGE_FAIL;
	if (change != CHANGE_NONE && held_back(memory, now, holdoff_s))
		return CHANGE_NONE;
	return change;
}

static void remember(struct alert_memory *memory, enum change change, enum probe_status status,
                     int64_t now)
{
	switch (change) {
	case CHANGE_SILENT_OK:
		*memory = (struct alert_memory){.announced = VERDICT_OK};
		break;
	case CHANGE_FAIL:
		*memory = (struct alert_memory){VERDICT_FAILING, status, now, 0, 0};
		break;
	case CHANGE_RECOVER:
		*memory = (struct alert_memory){VERDICT_OK, PROBE_NOT_YET, now, 0, 0};
		break;
	case CHANGE_NONE:
	case CHANGE_REPEAT:
		break;
	}
}

static const char *device_label(const struct device_record *rec)
{
	return rec->facts.name[0] ? rec->facts.name : rec->udid;
}

static void fill_identity(struct journal_entry *entry, const struct device_record *rec)
{
	entry->device_udid = rec->udid;
	entry->device_name = rec->facts.name;
	entry->product_type = rec->facts.product_type;
	entry->ios_version = rec->facts.product_version;
}

/* memory: what was announced before this change (for the event's "since"). */
static void announce_device(const struct device_record *rec, enum precondition_id id,
                            const struct verdict verdicts[PRECOND_COUNT], enum change change,
                            const struct alert_memory *memory, int64_t now,
                            const struct alert_sink *sink)
{
	const char *name = precondition_info(id)->name;
	const struct verdict *verdict = &verdicts[id];
	enum probe_status status = rec->facts.status;
	struct journal_entry entry = {.precondition = name, .reason = verdict->reason};
	char message[512], probe_field[64], readiness_field[32];
	char update_field[64], cves_field[sizeof(rec->ios.exploited) + 32];

	fill_identity(&entry, rec);
	if (id == PRECOND_IOS_CURRENT && rec->ios.state == IOS_UPDATE_AVAILABLE) {
		/* The update to install and what it fixes, as fields (systemd/backupd.catalog). */
		snprintf(update_field, sizeof(update_field), "IOS_UPDATE=%s", rec->ios.target);
		entry.extra[2] = update_field;
		if (rec->ios.exploited[0]) {
			snprintf(cves_field, sizeof(cves_field), "IOS_EXPLOITED_CVES=%s",
			         rec->ios.exploited);
			entry.extra[3] = cves_field;
		}
	}
	snprintf(readiness_field, sizeof(readiness_field), "READINESS=%s",
	         readiness_name(verdicts_readiness(verdicts, rec->attached)));
	entry.extra[1] = readiness_field;
	entry.state = verdict_state_name(verdict->state);
	entry.message = message;
	if (change == CHANGE_RECOVER) {
		entry.message_id = message_id_for_precondition(id);
		entry.priority = LOG_NOTICE;
		snprintf(message, sizeof(message), "%s: %s ok again: %s", device_label(rec), name,
		         verdict->reason);
	} else if (id == PRECOND_REACHABLE) {
		entry.message_id = message_id_for_unreachable(status);
		entry.priority = LOG_WARNING;
		snprintf(message, sizeof(message), "%s: unreachable (%s): %s", device_label(rec),
		         probe_status_name(status), verdict->reason);
		snprintf(probe_field, sizeof(probe_field), "PROBE_STATUS=%s",
		         probe_status_name(status));
		entry.extra[0] = probe_field;
	} else {
		entry.message_id = message_id_for_precondition(id);
		entry.priority = id == PRECOND_BACKUP_RECENT ? LOG_ERR : LOG_WARNING;
		snprintf(message, sizeof(message), "%s: %s failing: %s", device_label(rec), name,
		         verdict->reason);
	}
	struct alert_event event =
	    transition(&entry, change != CHANGE_RECOVER,
	               change == CHANGE_FAIL ? now : memory->announced_at_unix);
	if (change == CHANGE_REPEAT)
		event = (struct alert_event){ALERT_EVENT_REPEAT, &entry, memory->announced_at_unix,
		                             (int)memory->repeats};
	emit(sink, &entry, &event);
}

int alert_device_verdicts(struct device_record *rec, const struct verdict verdicts[PRECOND_COUNT],
                          int64_t now_unix, int64_t holdoff_s, const struct alert_sink *sink)
{
	int written = 0;

	for (int i = 0; i < PRECOND_COUNT; i++) {
		enum precondition_id id = (enum precondition_id)i;
		enum probe_status status =
		    id == PRECOND_REACHABLE ? rec->facts.status : PROBE_NOT_YET;
		enum change change;

		if (id == PRECOND_ICLOUD_SERVICE)
			continue; /* fleet-wide: alert_icloud_service() */
		change = decide(&rec->alerts[i], verdicts[i].state, status, now_unix, holdoff_s);
		if (change == CHANGE_FAIL || change == CHANGE_RECOVER) {
			announce_device(rec, id, verdicts, change, &rec->alerts[i], now_unix, sink);
			written++;
		}
		remember(&rec->alerts[i], change, status, now_unix);
	}
	return written;
}

int alert_device_repeats(struct device_record *rec, int64_t now_unix, const struct alert_sink *sink)
{
	const struct alert_consumer *consumer = sink ? sink->consumer : NULL;
	int told = 0;

	for (int i = 0; consumer && consumer->repeat_due && i < PRECOND_COUNT; i++) {
		struct alert_memory *memory = &rec->alerts[i];
		enum precondition_id id = (enum precondition_id)i;

		if (id == PRECOND_ICLOUD_SERVICE || memory->announced != VERDICT_FAILING ||
		    rec->verdicts[i].state != VERDICT_FAILING)
			continue;
		if (id == PRECOND_REACHABLE && rec->facts.status != memory->announced_probe_status)
			continue; /* another failure: a transition, not a repeat */
		if (!consumer->repeat_due(consumer->ctx, memory, now_unix))
			continue;
		memory->repeats++;
		memory->repeated_at_unix = now_unix;
		announce_device(rec, id, rec->verdicts, CHANGE_REPEAT, memory, now_unix, sink);
		told++;
	}
	return told;
}

static void announce_presence(const struct device_record *rec, bool attached,
                              const struct alert_sink *sink)
{
	struct journal_entry entry = {0};
	char message[256];

	fill_identity(&entry, rec);
	entry.message_id = message_id(attached ? MSG_DEVICE_ATTACHED : MSG_DEVICE_DETACHED);
	entry.priority = attached ? LOG_INFO : LOG_NOTICE;
	snprintf(message, sizeof(message), "%s (%s, iOS %s) %s", device_label(rec),
	         rec->facts.product_type[0] ? rec->facts.product_type : "model unknown",
	         rec->facts.product_version[0] ? rec->facts.product_version : "unknown",
	         attached ? "attached" : "detached");
	entry.message = message;
	emit(sink, &entry, NULL);
}

void alert_device_attached(const struct device_record *rec, const struct alert_sink *sink)
{
	announce_presence(rec, true, sink);
}

void alert_device_detached(const struct device_record *rec, const struct alert_sink *sink)
{
	announce_presence(rec, false, sink);
}

void alert_device_forgotten(const struct device_record *rec, const char *reason,
                            const struct alert_sink *sink)
{
	struct journal_entry entry = {.reason = reason};
	char message[512];

	fill_identity(&entry, rec);
	entry.message_id = message_id(MSG_DEVICE_FORGOTTEN);
	entry.priority = LOG_NOTICE;
	snprintf(message, sizeof(message), "%s forgotten: %s", device_label(rec), reason);
	entry.message = message;
	struct alert_event event = {ALERT_EVENT_FORGOTTEN, &entry, 0, 0};
	emit(sink, &entry, &event);
}

static void format_utc(int64_t unix_time, char *buf, size_t size)
{
	time_t t = (time_t)unix_time;
	struct tm tm;

	if (unix_time <= 0 || !gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "unknown");
}

/* Fields of the Apple event behind a failing icloud_service, kept alive for one emit. */
struct event_fields {
	char status_type[64], event_status[64], event_message[600], since[64], since_text[32];
};

static void describe_event(const struct feed_state *feed, struct event_fields *f,
                           struct journal_entry *entry, char *message, size_t size)
{
	const struct feed_event *event = feed && feed->n_active > 0 ? &feed->active[0] : NULL;

	if (!event) {
		snprintf(message, size, "Apple reports a problem with iCloud Backup: %s",
		         entry->reason);
		return;
	}
	format_utc(event->start_unix, f->since_text, sizeof(f->since_text));
	snprintf(f->status_type, sizeof(f->status_type), "STATUS_TYPE=%s", event->status_type);
	snprintf(f->event_status, sizeof(f->event_status), "EVENT_STATUS=%s", event->event_status);
	snprintf(f->event_message, sizeof(f->event_message), "EVENT_MESSAGE=%s", event->message);
	snprintf(f->since, sizeof(f->since), "SINCE=%s", f->since_text);
	entry->extra[0] = f->status_type;
	entry->extra[1] = f->event_status;
	entry->extra[2] = f->event_message;
	entry->extra[3] = f->since;
	snprintf(message, size, "Apple reports %s on iCloud Backup since %s: %s",
	         event->status_type, f->since_text, event->message);
}

int alert_icloud_service(struct fleet_alerts *fleet, const struct verdict *verdict,
                         const struct feed_state *feed, int64_t now_unix, int64_t holdoff_s,
                         const struct alert_sink *sink)
{
	struct alert_memory *memory = &fleet->icloud_service;
	enum change change = decide(memory, verdict->state, PROBE_NOT_YET, now_unix, holdoff_s);
	int64_t since = change == CHANGE_FAIL ? now_unix : memory->announced_at_unix;
	struct journal_entry entry = {.precondition =
	                                  precondition_info(PRECOND_ICLOUD_SERVICE)->name};
	struct event_fields fields;
	char message[1024];

	remember(memory, change, PROBE_NOT_YET, now_unix);
	if (change != CHANGE_FAIL && change != CHANGE_RECOVER)
		return 0;
	entry.message_id = message_id_for_precondition(PRECOND_ICLOUD_SERVICE);
	entry.state = verdict_state_name(verdict->state);
	entry.reason = verdict->reason;
	entry.message = message;
	if (change == CHANGE_FAIL) {
		entry.priority = LOG_WARNING;
		describe_event(feed, &fields, &entry, message, sizeof(message));
	} else {
		entry.priority = LOG_NOTICE;
		snprintf(message, sizeof(message),
		         "Apple's iCloud Backup service is operational again: %s", verdict->reason);
	}
	struct alert_event event = transition(&entry, change == CHANGE_FAIL, since);
	emit(sink, &entry, &event);
	return 1;
}

/* One fleet-wide on/off condition: writes only when "failing" differs from what was told. */
static int announce_condition(bool *announced, bool failing, enum message_key key,
                              const char *message, const char *const extra[2],
                              const struct alert_sink *sink)
{
	struct journal_entry entry = {.message_id = message_id(key), .message = message};

	if (failing == *announced)
		return 0;
	*announced = failing;
	entry.priority = failing ? LOG_WARNING : LOG_NOTICE;
	entry.state = verdict_state_name(failing ? VERDICT_FAILING : VERDICT_OK);
	if (extra) {
		entry.extra[0] = extra[0];
		entry.extra[1] = extra[1];
	}
	struct alert_event event = transition(&entry, failing, 0);
	emit(sink, &entry, &event);
	return 1;
}

int alert_feed_reachability(struct fleet_alerts *fleet, const struct feed_state *feed,
                            int64_t now_unix, int64_t unreachable_after_s,
                            const struct alert_sink *sink)
{
	char since[32], since_field[64], error_field[300], message[512];
	const char *extra[2] = {since_field, error_field};
	bool failing =
	    feed->unreachable && now_unix - feed->unreachable_since >= unreachable_after_s;

	if (feed->unreachable && !failing)
		return 0; /* not long enough to warn, and a warning stays until it is read again */
	format_utc(feed->unreachable_since, since, sizeof(since));
	snprintf(since_field, sizeof(since_field), "UNREACHABLE_SINCE=%s", since);
	snprintf(error_field, sizeof(error_field), "FEED_ERROR=%s", feed->last_error);
	if (failing)
		snprintf(message, sizeof(message),
		         "Apple System Status feed unreachable since %s: %s", since,
		         feed->last_error);
	else
		snprintf(message, sizeof(message), "Apple System Status feed is reachable again");
	return announce_condition(&fleet->feed_unreachable_announced, failing, MSG_FEED_UNREACHABLE,
	                          message, failing ? extra : NULL, sink);
}

int alert_usbmuxd(struct fleet_alerts *fleet, bool available, const char *detail,
                  const struct alert_sink *sink)
{
	char message[512];

	if (available)
		snprintf(message, sizeof(message), "usbmuxd is available again");
	else
		snprintf(message, sizeof(message),
		         "usbmuxd is not available (%s): no device can be watched until it returns",
		         detail && *detail ? detail : "no reason given");
	return announce_condition(&fleet->usbmuxd_unavailable_announced, !available,
	                          MSG_USBMUXD_UNAVAILABLE, message, NULL, sink);
}
