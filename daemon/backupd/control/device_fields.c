/* SPDX-License-Identifier: ISC */
/* The table of a device's status fields (device_fields.h; meanings in control_protocol.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_fields.h"
#include "json_text.h"
#include "pair_state.h"
#include "slot_names.h"
#include "precondition.h"

/* What several fields share, worked out once per device. */
struct device_view {
	const struct device_record *device;
	const struct device_facts *facts;
	enum readiness readiness;
	struct slot_label label;
};

/* One field's value, as both writers (json_t and text) take it. */
enum field_kind {
	FIELD_OMIT,
	FIELD_NULL,
	FIELD_BOOL,
	FIELD_INT,
	FIELD_TEXT,
	FIELD_WORDS,
	FIELD_OBJECT
};
struct field_value {
	enum field_kind kind;
	int64_t number;                       /* FIELD_BOOL (0/1), FIELD_INT */
	const char *text;                     /* FIELD_TEXT */
	const char *words[PRECOND_COUNT + 1]; /* FIELD_WORDS: an array of strings */
	int n_words;
	json_t *object; /* FIELD_OBJECT: owned until a writer takes it */
};

static void set_null(struct field_value *out)
{
	out->kind = FIELD_NULL;
}
static void set_bool(struct field_value *out, bool value)
{
	out->kind = FIELD_BOOL;
	out->number = value;
}
static void set_int(struct field_value *out, int64_t value)
{
	out->kind = FIELD_INT;
	out->number = value;
}
static void set_text(struct field_value *out, const char *text)
{
	out->kind = FIELD_TEXT;
	out->text = text;
}
static void set_tristate(struct field_value *out, enum tristate value)
{
	if (value == TRI_UNKNOWN)
		set_null(out);
	else
		set_bool(out, value == TRI_YES);
}
static void set_text_or_null(struct field_value *out, const char *text)
{
	if (text[0])
		set_text(out, text);
	else
		set_null(out);
}
static void set_time_or_null(struct field_value *out, bool known, int64_t unix_time)
{
	if (known)
		set_int(out, unix_time);
	else
		set_null(out);
}

typedef const struct device_view view_t;
typedef struct field_value value_t;

static void udid(view_t *v, value_t *out)
{
	set_text(out, v->device->udid);
}
static void name(view_t *v, value_t *out)
{
	set_text(out, v->facts->name);
}
static void product_type(view_t *v, value_t *out)
{
	set_text(out, v->facts->product_type);
}
static void ios(view_t *v, value_t *out)
{
	set_text(out, v->facts->product_version);
}
static void attached(view_t *v, value_t *out)
{
	set_bool(out, v->device->attached);
}
static void ready(view_t *v, value_t *out)
{
	set_bool(out, v->readiness == READINESS_READY);
}
static void readiness(view_t *v, value_t *out)
{
	set_text(out, readiness_name(v->readiness));
}
static void probe_status(view_t *v, value_t *out)
{
	set_text(out, probe_status_name(v->facts->status));
}
static void probe_error(view_t *v, value_t *out)
{
	set_text(out, v->facts->error);
}

static void blockers(view_t *v, value_t *out)
{
	out->kind = FIELD_WORDS;
	out->n_words = 0;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (v->device->verdicts[i].state == VERDICT_FAILING)
			out->words[out->n_words++] = precondition_info(i)->blocker;
	if (v->device->slot.off_cart_told_unix) /* OnCartHours: announced as not on the cart */
		out->words[out->n_words++] = "off-cart";
}

static void battery_percent(view_t *v, value_t *out)
{
	if (v->facts->battery_percent >= 0)
		set_int(out, v->facts->battery_percent);
	else
		set_null(out);
}

/* Present only while a restart is under way. */
static void restarting(view_t *v, value_t *out)
{
	if (v->device->restarting)
		set_bool(out, true);
	else
		out->kind = FIELD_OMIT;
}

static void charging(view_t *v, value_t *out)
{
	set_tristate(out, v->facts->battery_charging);
}
static void external_power(view_t *v, value_t *out)
{
	set_tristate(out, v->facts->external_connected);
}
static void last_backup(view_t *v, value_t *out)
{
	set_time_or_null(out, v->facts->has_last_backup, v->facts->last_backup_unix);
}
static void probed_at(view_t *v, value_t *out)
{
	set_time_or_null(out, v->facts->probed_at_unix != 0, v->facts->probed_at_unix);
}
static void port_path(view_t *v, value_t *out)
{
	set_text_or_null(out, v->device->slot.port_path);
}
static void cart(view_t *v, value_t *out)
{
	set_text_or_null(out, v->label.cart);
}
static void slot(view_t *v, value_t *out)
{
	set_text_or_null(out, v->label.slot);
}
static void off_cart(view_t *v, value_t *out)
{
	set_bool(out, v->device->slot.off_cart_told_unix != 0);
}
static void usb_speed_mbps(view_t *v, value_t *out)
{
	if (v->device->slot.speed_mbps)
		set_int(out, v->device->slot.speed_mbps);
	else
		set_null(out);
}

/* "pairing": {state, meaning, reason, next_step, since}: what backupctl pair, AutoPair= or the
 * probes last found of this host's pairing with the phone (pair_state.h). Rare enough in a
 * reply's cost to be built as an object. */
static void pairing(view_t *v, value_t *out)
{
	const struct pair_memory *memory = &v->device->pairing;
	out->kind = FIELD_OBJECT;
	out->object = json_pack(
	    "{s:s, s:s, s:o, s:s, s:o}", "state", pair_state_word(memory->state), "meaning",
	    pair_state_meaning(memory->state), "reason", json_text(memory->reason), "next_step",
	    pair_state_next_step(memory->state, memory->auto_pairs), "since",
	    memory->since_unix ? json_integer(memory->since_unix) : json_null());
}

/* Through json_text: the ids come from the network and may hold any bytes. */
static void add_cve(const char *id, size_t length, void *arg)
{
	char text[IOS_EXPLOITED_TEXT];
	snprintf(text, sizeof(text), "%.*s", (int)length, id);
	json_array_append_new(arg, json_text(text));
}

/* "ios_update": what the iOS catalog says of the phone's version (ios_update.h), null when
 * it was not judged (no catalog, no version read). */
static void ios_update(view_t *v, value_t *out)
{
	const struct ios_update *u = &v->device->ios;
	if (u->state == IOS_UPDATE_NONE) {
		set_null(out);
		return;
	}
	json_t *cves = json_array();
	ios_update_each_cve(u, add_cve, cves);
	out->kind = FIELD_OBJECT;
	out->object = json_pack(
	    "{s:s, s:o, s:o, s:o, s:o, s:o, s:i, s:o}", "state", ios_update_state_word(u->state),
	    "version", u->target[0] ? json_text(u->target) : json_null(), "released",
	    u->target_released_unix ? json_integer(u->target_released_unix) : json_null(), "latest",
	    u->latest[0] ? json_text(u->latest) : json_null(), "behind_since",
	    u->behind_since_unix ? json_integer(u->behind_since_unix) : json_null(),
	    "exploited_since",
	    u->exploited_since_unix ? json_integer(u->exploited_since_unix) : json_null(),
	    "exploited_count", u->n_exploited, "exploited_cves", cves);
}

static const struct device_field {
	const char *name;
	void (*value)(view_t *view, value_t *out);
} fields[] = {
    {"udid", udid},
    {"name", name},
    {"product_type", product_type},
    {"ios", ios},
    {"attached", attached},
    {"ready", ready},
    {"readiness", readiness},
    {"probe_status", probe_status},
    {"probe_error", probe_error},
    {"blockers", blockers},
    {"battery_percent", battery_percent},
    {"restarting", restarting},
    {"charging", charging},
    {"external_power", external_power},
    {"last_backup", last_backup},
    {"probed_at", probed_at},
    {"port_path", port_path},
    {"cart", cart},
    {"slot", slot},
    {"off_cart", off_cart},
    {"usb_speed_mbps", usb_speed_mbps},
    {"pairing", pairing},
    {"ios_update", ios_update},
};
enum { N_FIELDS = sizeof(fields) / sizeof(fields[0]) };
_Static_assert(N_FIELDS <= 32, "device_field_mask has 32 bits");

static int field_index(const char *field_name)
{
	for (int i = 0; i < N_FIELDS; i++)
		if (strcmp(fields[i].name, field_name) == 0)
			return i;
	return -1;
}

bool device_fields_from_request(const json_t *requested, device_field_mask *mask, const char **why)
{
	*mask = DEVICE_FIELDS_ALL;
	if (requested == NULL)
		return true;
	*why = "\"fields\" must be an array of field names";
	if (!json_is_array(requested))
		return false;
	*mask = 0;
	size_t index;
	const json_t *value;
	json_array_foreach(requested, index, value)
	{
		if (!json_is_string(value))
			return false;
		int i = field_index(json_string_value(value));
		if (i >= 0)
			*mask |= (device_field_mask)1 << i;
	}
	return true;
}

static void view_init(struct device_view *view, const struct device_record *device,
                      const struct port_names *names)
{
	view->device = device;
	view->facts = &device->facts;
	view->readiness = verdicts_readiness(device->verdicts, device->attached);
	slot_names_resolve(names, device->slot.port_path, &view->label);
}

static json_t *value_json(const struct field_value *value)
{
	switch (value->kind) {
	case FIELD_BOOL:
		return json_boolean(value->number);
	case FIELD_INT:
		return json_integer(value->number);
	case FIELD_TEXT:
		return json_text(value->text);
	case FIELD_WORDS: {
		json_t *array = json_array();
		for (int i = 0; i < value->n_words; i++)
			json_array_append_new(array, json_string(value->words[i]));
		return array;
	}
	case FIELD_OBJECT:
		return value->object;
	default:
		return json_null();
	}
}

json_t *device_fields_json(const struct device_record *device, const struct port_names *names,
                           device_field_mask mask)
{
	struct device_view view;
	view_init(&view, device, names);
	json_t *object = json_object();
	for (int i = 0; i < N_FIELDS; i++) {
		if (!(mask & ((device_field_mask)1 << i)))
			continue;
		struct field_value value;
		fields[i].value(&view, &value);
		if (value.kind != FIELD_OMIT)
			json_object_set_new_nocheck(object, fields[i].name, value_json(&value));
	}
	return object;
}

static void text_value(struct text_buffer *out, const struct field_value *value)
{
	switch (value->kind) {
	case FIELD_BOOL:
		text_buffer_add(out, value->number ? "true" : "false");
		break;
	case FIELD_INT:
		text_buffer_int(out, value->number);
		break;
	case FIELD_TEXT:
		text_buffer_json_string(out, value->text);
		break;
	case FIELD_WORDS:
		text_buffer_add(out, "[");
		for (int i = 0; i < value->n_words; i++) {
			if (i > 0)
				text_buffer_add(out, ",");
			text_buffer_json_string(out, value->words[i]);
		}
		text_buffer_add(out, "]");
		break;
	case FIELD_OBJECT: {
		char *dumped = json_dumps(value->object, JSON_COMPACT);
		text_buffer_add(out, dumped ? dumped : "null");
		free(dumped);
		json_decref(value->object);
		break;
	}
	default:
		text_buffer_add(out, "null");
	}
}

/* Keys and braces for an object, or values alone in brackets for a row (FIELD_OMIT there is
 * null: a row's places are fixed by the mask). */
static void fields_text(struct text_buffer *out, const struct device_record *device,
                        const struct port_names *names, device_field_mask mask, bool row)
{
	struct device_view view;
	view_init(&view, device, names);
	bool first = true;
	text_buffer_add(out, row ? "[" : "{");
	for (int i = 0; i < N_FIELDS; i++) {
		if (!(mask & ((device_field_mask)1 << i)))
			continue;
		struct field_value value;
		fields[i].value(&view, &value);
		if (value.kind == FIELD_OMIT && !row)
			continue;
		if (!first)
			text_buffer_add(out, ",");
		if (!row) {
			text_buffer_add(out, "\"");
			text_buffer_add(out, fields[i].name);
			text_buffer_add(out, "\":");
		}
		text_value(out, &value);
		first = false;
	}
	text_buffer_add(out, row ? "]" : "}");
}

void device_fields_text(struct text_buffer *out, const struct device_record *device,
                        const struct port_names *names, device_field_mask mask)
{
	fields_text(out, device, names, mask, false);
}

void device_fields_row_text(struct text_buffer *out, const struct device_record *device,
                            const struct port_names *names, device_field_mask mask)
{
	fields_text(out, device, names, mask, true);
}

json_t *device_fields_names(device_field_mask mask)
{
	json_t *array = json_array();
	for (int i = 0; i < N_FIELDS; i++)
		if (mask & ((device_field_mask)1 << i))
			json_array_append_new(array, json_string(fields[i].name));
	return array;
}
