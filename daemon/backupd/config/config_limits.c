/* SPDX-License-Identifier: ISC */
/* The rule limits: the config keys the entries of the precondition table declare, in [Rules]
 * and per phone in [Device UDID], as rows of the key table (config_keys.c reads, checks,
 * defaults and lists them with its own rows). A new precondition's key needs no line here. */
#include <stddef.h>
#include <string.h>

#include "config_limits.h"
#include "precondition.h"

static const enum value_kind kinds[] = {
    [LIMIT_VERSION] = KIND_VERSION,
    [LIMIT_AGE] = KIND_TIMESPAN_S,
    [LIMIT_SIZE] = KIND_SIZE,
};

/* The row of key k of precondition p: the key table's checks apply as they are (their time
 * span bounds are in milliseconds, the entry's in seconds). */
static void row_of(int p, int k, const struct precondition_key *key, struct config_key *row)
{
	bool age = key->kind == LIMIT_AGE;

	memset(row, 0, sizeof(*row));
	row->section = SECTION_RULES;
	row->name = key->name;
	row->kind = kinds[key->kind];
	row->offset = offsetof(struct rule_limits, value) +
	              ((size_t)p * PRECOND_KEYS_MAX + (size_t)k) * sizeof(union limit_value);
	row->size = key->kind == LIMIT_VERSION ? LIMIT_TEXT_MAX : sizeof(int64_t);
	row->min = age ? key->min * MS_PER_S : key->min;
	row->max = age ? key->max * MS_PER_S : key->max;
	row->limit = true;
	row->default_value = key->default_value;
}

bool config_limit_row(size_t index, struct config_key *out)
{
	for (int p = 0; p < PRECOND_COUNT; p++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)p);
		for (int k = 0; k < PRECOND_KEYS_MAX && entry->keys[k].kind != LIMIT_NONE; k++) {
			if (index-- == 0) {
				row_of(p, k, &entry->keys[k], out);
				return true;
			}
		}
	}
	return false;
}
