/* SPDX-License-Identifier: ISC */
/* slot_state: visits and charging observations as JSON. The current port is not saved: a
 * restarted daemon looks every attached phone up again. */
#include <string.h>

#include "slot_state.h"
#include "state_time.h"
#include "xmalloc.h"

static const char *const seen_names[] = {[CHARGE_SEEN_OK] = "ok", [CHARGE_SEEN_CANNOT] = "cannot"};

static json_t *visits_to_json(const struct slot_record *rec)
{
	json_t *a = json_array();
	for (int i = 0; i < rec->n_visits; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "port_path",
		                                   rec->visits[i].port_path, "since",
		                                   (json_int_t)rec->visits[i].since_unix, "until",
		                                   (json_int_t)rec->visits[i].until_unix));
	return a;
}

static json_t *observations_to_json(const struct slot_record *rec)
{
	json_t *a = json_array();
	for (int i = 0; i < rec->n_observations; i++) {
		const struct charge_observation *o = &rec->observations[i];
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:b, s:I, s:I}", "port_path", o->port_path, "seen",
		                 seen_names[o->seen], "slot_told", o->slot_told, "since",
		                 (json_int_t)o->since_unix, "at", (json_int_t)o->at_unix));
	}
	return a;
}

json_t *slot_state_to_json(const struct slot_record *rec)
{
	return json_pack("{s:o, s:o, s:I}", "visits", visits_to_json(rec), "observations",
	                 observations_to_json(rec), "off_cart_told",
	                 (json_int_t)rec->off_cart_told_unix);
}

static const char *port_from_json(json_t *obj, char *out)
{
	const char *port = json_string_value(json_object_get(obj, "port_path"));
	if (!port || !*port || strlen(port) >= PORT_PATH_MAX)
		return "slot: bad port_path";
	strlcpy_safe(out, port, PORT_PATH_MAX);
	return NULL;
}

static const char *visits_from_json(json_t *a, struct slot_record *rec)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (i >= SLOT_VISITS)
			break;
		struct slot_visit *visit = &rec->visits[i];
		const char *why = port_from_json(v, visit->port_path);
		if (why)
			return why;
		visit->since_unix = state_time(json_object_get(v, "since"));
		visit->until_unix = state_time(json_object_get(v, "until"));
		rec->n_visits = (int)i + 1;
	}
	return NULL;
}

static int seen_by_name(const char *name)
{
	for (int i = CHARGE_SEEN_OK; name && i <= CHARGE_SEEN_CANNOT; i++)
		if (strcmp(name, seen_names[i]) == 0)
			return i;
	return -1;
}

static const char *observations_from_json(json_t *a, struct slot_record *rec)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (i >= SLOT_OBSERVATIONS)
			break;
		struct charge_observation *o = &rec->observations[i];
		const char *why = port_from_json(v, o->port_path);
		int seen = seen_by_name(json_string_value(json_object_get(v, "seen")));
		if (why || seen < 0)
			return why ? why : "slot: bad observation";
		o->seen = seen;
		o->slot_told = json_is_true(json_object_get(v, "slot_told"));
		o->since_unix = state_time(json_object_get(v, "since"));
		o->at_unix = state_time(json_object_get(v, "at"));
		rec->n_observations = (int)i + 1;
	}
	return NULL;
}

const char *slot_state_from_json(json_t *obj, struct slot_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (!obj)
		return NULL;
	if (!json_is_object(obj))
		return "slot is not an object";
	const char *why = visits_from_json(json_object_get(obj, "visits"), rec);
	if (!why)
		why = observations_from_json(json_object_get(obj, "observations"), rec);
	rec->off_cart_told_unix = state_time(json_object_get(obj, "off_cart_told"));
	return why;
}
