/* SPDX-License-Identifier: ISC */
/* The rule limits: the config keys the entries of the precondition table declare, in [Rules]
 * and per phone in [Device UDID]. A new precondition's key is read, checked, defaulted and
 * listed here without a line of its own. */
#include <stdio.h>
#include <string.h>

#include "config_keys.h"
#include "precondition.h"

static const enum value_kind kinds[] = {
    [LIMIT_VERSION] = KIND_VERSION,
    [LIMIT_AGE] = KIND_TIMESPAN_S,
    [LIMIT_SIZE] = KIND_SIZE,
};

/* The key table's row of key k of precondition p: the key table's checks apply as they are
 * (their time span bounds are in milliseconds, the entry's in seconds). */
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

/* Calls each(row, arg) for every key of every entry; stops when it returns true. */
static bool each_limit(bool (*each)(const struct config_key *row, void *arg), void *arg)
{
	struct config_key row;

	for (int p = 0; p < PRECOND_COUNT; p++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)p);
		for (int k = 0; k < PRECOND_KEYS_MAX && entry->keys[k].kind != LIMIT_NONE; k++) {
			row_of(p, k, &entry->keys[k], &row);
			if (each(&row, arg))
				return true;
		}
	}
	return false;
}

struct find {
	const char *name;
	struct config_key *out;
};

static bool found(const struct config_key *row, void *arg)
{
	struct find *find = arg;
	if (strcmp(row->name, find->name) != 0)
		return false;
	*find->out = *row;
	return true;
}

bool config_limit_find(const char *name, struct config_key *out)
{
	struct find find = {name, out};
	return each_limit(found, &find);
}

static bool store_default(const struct config_key *row, void *limits)
{
	config_key_store_default(row, limits);
	return false;
}

void config_limit_defaults(struct rule_limits *limits)
{
	each_limit(store_default, limits);
}

struct names {
	char *buf;
	size_t size;
};

static bool append_name(const struct config_key *row, void *arg)
{
	struct names *names = arg;
	size_t used = strlen(names->buf);
	if (used < names->size)
		snprintf(names->buf + used, names->size - used, "%s%s", used ? ", " : "",
		         row->name);
	return false;
}

void config_limit_names(char *buf, size_t size)
{
	struct names names = {buf, size};
	each_limit(append_name, &names);
}
