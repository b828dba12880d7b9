/* SPDX-License-Identifier: ISC */
/* See action_state.h. */
#include "action_state.h"

/* Days since 1970: anything past the year 9999 is not a day this file could have written. */
#define DAY_MAX 2932896

json_t *action_state_to_json(const int64_t auto_day[ACTION_KIND_COUNT])
{
	json_t *obj = json_object();
	for (int kind = 0; kind < ACTION_KIND_COUNT; kind++)
		if (auto_day[kind] != 0)
			json_object_set_new(obj, action_kind_names[kind],
			                    json_integer((json_int_t)auto_day[kind]));
	return obj;
}

const char *action_state_from_json(json_t *obj, int64_t auto_day[ACTION_KIND_COUNT])
{
	for (int kind = 0; kind < ACTION_KIND_COUNT; kind++)
		auto_day[kind] = 0;
	if (!obj)
		return NULL;
	if (!json_is_object(obj))
		return "\"auto\" is not an object";
	for (int kind = 0; kind < ACTION_KIND_COUNT; kind++) {
		json_t *day = json_object_get(obj, action_kind_names[kind]);
		if (!day)
			continue;
		if (!json_is_integer(day) || json_integer_value(day) < 0 ||
		    json_integer_value(day) > DAY_MAX)
			return "an \"auto\" day that is not a day";
		auto_day[kind] = (int64_t)json_integer_value(day);
	}
	return NULL;
}
