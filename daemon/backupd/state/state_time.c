/* SPDX-License-Identifier: ISC */
/* See state_time.h. */
#include "state_time.h"
#include "facts.h"

int64_t state_time(const json_t *value)
{
	if (!json_is_integer(value))
		return 0;
	json_int_t t = json_integer_value(value);
	return t >= FACTS_DATE_MIN_UNIX && t <= FACTS_DATE_MAX_UNIX ? (int64_t)t : 0;
}
