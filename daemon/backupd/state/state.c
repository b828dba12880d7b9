/* SPDX-License-Identifier: ISC */
/* state.json: serialise the fleet's device records with jansson, replace the file atomically,
 * and set a bad file aside instead of failing. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "action_state.h"
#include "atomic_file.h"
#include "slot_state.h"
#include "state.h"
#include "state_time.h"
#include "text_clean.h"
#include "precondition.h"

/* ---- facts: one row per saved field, used in both directions ---- */

/* FIELD_TIME: an int64_t Unix time, bounded when read (state_time.h). */
enum field_type {
	FIELD_STRING,
	FIELD_INT64,
	FIELD_TIME,
	FIELD_INT,
	FIELD_UINT32,
	FIELD_TRISTATE,
	FIELD_BOOL
};

struct fact_field {
	const char *key;
	enum field_type type;
	size_t offset;
	size_t size;
};

#define FACT(key, type, member)                                                                    \
	{                                                                                          \
		key, type, offsetof(struct device_facts, member),                                  \
		    sizeof(((struct device_facts *)0)->member)                                     \
	}

static const struct fact_field fact_fields[] = {
    FACT("error", FIELD_STRING, error),
    FACT("name", FIELD_STRING, name),
    FACT("product_type", FIELD_STRING, product_type),
    FACT("product_version", FIELD_STRING, product_version),
    FACT("build_version", FIELD_STRING, build_version),
    FACT("serial", FIELD_STRING, serial),
    FACT("password_protected", FIELD_TRISTATE, password_protected),
    FACT("backup_enabled", FIELD_TRISTATE, backup_enabled),
    FACT("has_last_backup", FIELD_BOOL, has_last_backup),
    FACT("last_backup_unreadable", FIELD_BOOL, last_backup_unreadable),
    FACT("last_backup", FIELD_TIME, last_backup_unix),
    FACT("external_connected", FIELD_TRISTATE, external_connected),
    FACT("battery_charging", FIELD_TRISTATE, battery_charging),
    FACT("fully_charged", FIELD_TRISTATE, fully_charged),
    FACT("battery_percent", FIELD_INT, battery_percent),
    FACT("wifi_associated", FIELD_TRISTATE, wifi_associated),
    FACT("wifi_ssid", FIELD_STRING, wifi_ssid),
    FACT("total_data_capacity", FIELD_INT64, total_data_capacity),
    FACT("total_data_available", FIELD_INT64, total_data_available),
    FACT("probed_at", FIELD_TIME, probed_at_unix),
    FACT("probe_ms", FIELD_UINT32, probe_ms),
};

static const char *const tristate_names[] = {
    [TRI_UNKNOWN] = "unknown", [TRI_NO] = "no", [TRI_YES] = "yes"};

static int name_index(const char *name, const char *const *names, int count)
{
	for (int i = 0; name && i < count; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

static int probe_status_by_name(const char *name)
{
	for (int i = 0; name && i < PROBE_STATUS_COUNT; i++)
		if (strcmp(name, probe_status_name((enum probe_status)i)) == 0)
			return i;
	return -1;
}

/* A member that is missing or not a string reads as NULL: no state of that name. */
static int verdict_by_name(const char *name)
{
	return name ? verdict_state_by_name(name) : -1;
}

static json_t *fact_to_json(const struct device_facts *facts, const struct fact_field *f)
{
	const char *p = (const char *)facts + f->offset;

	switch (f->type) {
	case FIELD_STRING:
		return json_string(p);
	case FIELD_INT64:
	case FIELD_TIME:
		return json_integer(*(const int64_t *)p);
	case FIELD_INT:
		return json_integer(*(const int *)p);
	case FIELD_UINT32:
		return json_integer(*(const uint32_t *)p);
	case FIELD_TRISTATE:
		return json_string(tristate_names[*(const enum tristate *)p]);
	case FIELD_BOOL:
		return json_boolean(*(const bool *)p);
	}
	return NULL;
}

/* Returns -1 when value has the wrong type for the field. */
static int fact_from_json(struct device_facts *facts, const struct fact_field *f, json_t *value)
{
	char *p = (char *)facts + f->offset;
	int tri;

	if (f->type == FIELD_STRING) {
		if (!json_is_string(value))
			return -1;
		/* Written by an older backupd or by hand: made safe again, never escaped twice. */
		text_reclean(p, f->size, json_string_value(value), json_string_length(value));
		return 0;
	}
	if (f->type == FIELD_BOOL) {
		if (!json_is_boolean(value))
			return -1;
		*(bool *)p = json_is_true(value);
		return 0;
	}
	if (f->type == FIELD_TRISTATE) {
		tri = name_index(json_string_value(value), tristate_names, 3);
		if (tri < 0)
			return -1;
		*(enum tristate *)p = (enum tristate)tri;
		return 0;
	}
	if (!json_is_integer(value))
		return -1;
	if (f->type == FIELD_INT64)
		*(int64_t *)p = json_integer_value(value);
	else if (f->type == FIELD_TIME)
		*(int64_t *)p = state_time(value);
	else if (f->type == FIELD_INT)
		*(int *)p = (int)json_integer_value(value);
	else
		*(uint32_t *)p = (uint32_t)json_integer_value(value);
	return 0;
}

/* ---- save ---- */

static json_t *memory_to_json(const struct alert_memory *m)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I}", "announced", verdict_state_name(m->announced),
	                 "probe_status", probe_status_name(m->announced_probe_status), "at",
	                 (json_int_t)m->announced_at_unix, "repeats", (json_int_t)m->repeats,
	                 "repeated_at", (json_int_t)m->repeated_at_unix);
}

static json_t *facts_to_json(const struct device_facts *facts)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "status", json_string(probe_status_name(facts->status)));
	for (size_t i = 0; i < sizeof(fact_fields) / sizeof(fact_fields[0]); i++)
		json_object_set_new(obj, fact_fields[i].key, fact_to_json(facts, &fact_fields[i]));
	return obj;
}

static json_t *record_to_json(const struct device_record *rec)
{
	json_t *verdicts = json_object(), *alerts = json_object();

	for (int i = 0; i < PRECOND_COUNT; i++) {
		const char *name = precondition_info((enum precondition_id)i)->name;
		json_object_set_new(verdicts, name,
		                    json_pack("{s:s, s:s}", "state",
		                              verdict_state_name(rec->verdicts[i].state), "reason",
		                              rec->verdicts[i].reason));
		json_object_set_new(alerts, name, memory_to_json(&rec->alerts[i]));
	}
	return json_pack(
	    "{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "udid", rec->udid, "first_seen",
	    (json_int_t)rec->first_seen_unix, "last_seen", (json_int_t)rec->last_seen_unix, "facts",
	    facts_to_json(&rec->facts), "verdicts", verdicts, "alerts", alerts, "slot",
	    slot_state_to_json(&rec->slot), "auto", action_state_to_json(rec->automatic.day));
}

static json_t *fleet_to_json(const struct fleet_alerts *fleet)
{
	static const struct fleet_alerts none;

	if (!fleet)
		fleet = &none;
	return json_pack("{s:o, s:b, s:b}", "icloud_service",
	                 memory_to_json(&fleet->icloud_service), "feed_unreachable_announced",
	                 fleet->feed_unreachable_announced, "usbmuxd_unavailable_announced",
	                 fleet->usbmuxd_unavailable_announced);
}

static json_t *fleet_document(struct device_record *const *recs, size_t n,
                              const struct fleet_alerts *fleet, int64_t now, int64_t max_age_s)
{
	json_t *devices = json_array();

	for (size_t i = 0; i < n; i++)
		if (recs[i]->attached || recs[i]->last_seen_unix >= now - max_age_s)
			json_array_append_new(devices, record_to_json(recs[i]));
	return json_pack("{s:i, s:I, s:o, s:o}", "version", STATE_FILE_VERSION, "saved_at",
	                 (json_int_t)now, "fleet", fleet_to_json(fleet), "devices", devices);
}

char *state_serialize(struct device_record *const *recs, size_t n, const struct fleet_alerts *fleet,
                      int64_t now_unix, int64_t max_age_s)
{
	json_t *doc = fleet_document(recs, n, fleet, now_unix, max_age_s);
	char *text = doc ? json_dumps(doc, JSON_INDENT(1)) : NULL;

	json_decref(doc);
	return text;
}

int state_write(const char *dir, const char *text, char *err, size_t err_size)
{
	return atomic_file_write(dir, STATE_FILE_NAME, text, strlen(text), err, err_size);
}

int state_save(const char *dir, struct device_record *const *recs, size_t n,
               const struct fleet_alerts *fleet, int64_t now_unix, int64_t max_age_s, char *err,
               size_t err_size)
{
	char *text = state_serialize(recs, n, fleet, now_unix, max_age_s);
	int rc = -1;

	if (!text)
		snprintf(err, err_size,
		         "%s/" STATE_FILE_NAME ": cannot serialise the state (out of "
		         "memory)",
		         dir);
	else
		rc = state_write(dir, text, err, err_size);
	free(text);
	return rc;
}

/* ---- load ---- */

/* Each parse step returns NULL on success or a static text saying what is wrong. */
static const char *time_member(json_t *obj, const char *key, int64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		return "missing or non-integer time field";
	*out = state_time(v);
	return NULL;
}

/* Repeats past this are all the same to AlertRepeat (diminishing stops doubling at 10). */
#define MEMORY_REPEATS_MAX 1000000
static const char *memory_from_json(json_t *obj, struct alert_memory *m)
{
	json_t *at = json_object_get(obj, "at");
	int announced = verdict_by_name(json_string_value(json_object_get(obj, "announced")));
	int status = probe_status_by_name(json_string_value(json_object_get(obj, "probe_status")));

	if (announced < 0 || status < 0 || !json_is_integer(at))
		return "bad alert memory";
	/* AlertRepeat's memory: files from before it have none (nothing repeated yet). */
	json_int_t repeats = json_integer_value(json_object_get(obj, "repeats"));
	*m = (struct alert_memory){
	    (enum verdict_state)announced, (enum probe_status)status, state_time(at),
	    repeats < 0 ? 0 : (repeats > MEMORY_REPEATS_MAX ? MEMORY_REPEATS_MAX : repeats),
	    state_time(json_object_get(obj, "repeated_at"))};
	return NULL;
}

static const char *facts_from_json(json_t *obj, struct device_facts *facts)
{
	int status = probe_status_by_name(json_string_value(json_object_get(obj, "status")));

	if (!json_is_object(obj) || status < 0)
		return "bad facts";
	facts->status = (enum probe_status)status;
	for (size_t i = 0; i < sizeof(fact_fields) / sizeof(fact_fields[0]); i++) {
		json_t *v = json_object_get(obj, fact_fields[i].key);
		if (v && fact_from_json(facts, &fact_fields[i], v) < 0)
			return "a fact has the wrong type";
	}
	return NULL;
}

/* Unknown precondition names are skipped: a precondition may have been retired. */
static const char *verdicts_from_json(json_t *verdicts, json_t *alerts, struct device_record *rec)
{
	const char *key;
	json_t *v;

	if (!json_is_object(verdicts) || !json_is_object(alerts))
		return "verdicts or alerts is not an object";
	json_object_foreach(verdicts, key, v)
	{
		int id = precondition_by_name(key);
		int st = verdict_by_name(json_string_value(json_object_get(v, "state")));
		const char *reason = json_string_value(json_object_get(v, "reason"));
		if (st < 0 || !reason)
			return "bad verdict";
		if (id >= 0)
			rec->verdicts[id] = (struct verdict){.state = (enum verdict_state)st};
		if (id >= 0)
			snprintf(rec->verdicts[id].reason, sizeof(rec->verdicts[id].reason), "%s",
			         reason);
	}
	json_object_foreach(alerts, key, v)
	{
		int id = precondition_by_name(key);
		struct alert_memory m;
		const char *why = memory_from_json(v, &m);
		if (why)
			return why;
		if (id >= 0)
			rec->alerts[id] = m;
	}
	return NULL;
}

static const char *record_from_json(json_t *obj, struct device_record *rec)
{
	const char *udid = json_string_value(json_object_get(obj, "udid"));
	const char *why;

	if (!udid || !*udid || strlen(udid) >= UDID_MAX)
		return "device without a valid udid";
	snprintf(rec->udid, sizeof(rec->udid), "%s", udid);
	facts_init(&rec->facts, udid);
	rec->attached = false;
	if ((why = time_member(obj, "first_seen", &rec->first_seen_unix)) ||
	    (why = time_member(obj, "last_seen", &rec->last_seen_unix)) ||
	    (why = facts_from_json(json_object_get(obj, "facts"), &rec->facts)) ||
	    (why = slot_state_from_json(json_object_get(obj, "slot"), &rec->slot)) ||
	    (why = action_state_from_json(json_object_get(obj, "auto"), rec->automatic.day)))
		return why;
	return verdicts_from_json(json_object_get(obj, "verdicts"), json_object_get(obj, "alerts"),
	                          rec);
}

static const char *fleet_from_json(json_t *obj, struct fleet_alerts *fleet)
{
	json_t *feed = json_object_get(obj, "feed_unreachable_announced");
	json_t *mux = json_object_get(obj, "usbmuxd_unavailable_announced");

	if (!json_is_object(obj) || !json_is_boolean(feed) || !json_is_boolean(mux))
		return "bad fleet section";
	fleet->feed_unreachable_announced = json_is_true(feed);
	fleet->usbmuxd_unavailable_announced = json_is_true(mux);
	return memory_from_json(json_object_get(obj, "icloud_service"), &fleet->icloud_service);
}

const char *state_from_json(json_t *doc, struct device_record **recs, size_t *n,
                            struct fleet_alerts *fleet)
{
	json_t *version = json_object_get(doc, "version");
	json_t *devices = json_object_get(doc, "devices");
	const char *why;

	if (!json_is_integer(version) || json_integer_value(version) != STATE_FILE_VERSION)
		return "missing or unsupported version";
	if (!json_is_array(devices))
		return "devices is not an array";
	if ((why = fleet_from_json(json_object_get(doc, "fleet"), fleet)))
		return why;
	*n = json_array_size(devices);
	*recs = *n ? calloc(*n, sizeof(**recs)) : NULL;
	if (*n && !*recs)
		return "out of memory";
	for (size_t i = 0; i < *n; i++)
		if ((why = record_from_json(json_array_get(devices, i), &(*recs)[i])))
			return why;
	return NULL;
}

static void set_aside(const char *path, const char *what, char *warn, size_t warn_size)
{
	char aside[PATH_MAX];

	if (atomic_file_set_aside(path, aside, sizeof(aside)) == 0)
		snprintf(warn, warn_size, "%s: %s; set aside as %s, starting with an empty fleet",
		         path, what, aside);
	else
		snprintf(warn, warn_size,
		         "%s: %s; could not set it aside (%s), starting with an empty fleet", path,
		         what, strerror(errno));
}

int state_load(const char *dir, struct device_record **recs_out, size_t *n_out,
               struct fleet_alerts *fleet_out, char *warn, size_t warn_size)
{
	struct fleet_alerts fleet = {0};
	char path[PATH_MAX];
	json_error_t error;
	const char *why;
	json_t *doc;

	*recs_out = NULL;
	*n_out = 0;
	if (fleet_out)
		*fleet_out = fleet;
	snprintf(path, sizeof(path), "%s/" STATE_FILE_NAME, dir);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
	if (!doc) {
		set_aside(path, error.text, warn, warn_size);
		return 1;
	}
	why = json_is_object(doc) ? state_from_json(doc, recs_out, n_out, &fleet)
	                          : "not a JSON object";
	json_decref(doc);
	if (!why) {
		if (fleet_out)
			*fleet_out = fleet;
		return 0;
	}
	free(*recs_out);
	*recs_out = NULL;
	*n_out = 0;
	if (strcmp(why, "out of memory") == 0) {
		snprintf(warn, warn_size, "%s: out of memory", path);
		return -1;
	}
	set_aside(path, why, warn, warn_size);
	return 1;
}
