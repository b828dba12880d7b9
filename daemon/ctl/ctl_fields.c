/* SPDX-License-Identifier: ISC */
/* A device in a status reply is an object, or in the compact form a table asks for ("rows"
 * in control_protocol.h) an array of values in the order of the reply's "columns": at 1000
 * phones that form parses in a third of the instructions, as no key is read or hashed. Every
 * renderer reads a device's fields through ctl_get, so each takes either form. */
#include <string.h>

#include "ctl.h"

#define COLUMNS_MAX 32

/* Borrowed from the one reply backupctl prints, which lives until it exits. */
static const char *columns[COLUMNS_MAX];
static size_t n_columns;

/* Each key's place is looked up by name once, then found by its address and one strcmp that
 * confirms it (a caller may reuse a buffer for another key); 15 fields x 1000 rows of a
 * search over every column were a tenth of a table's cost. */
static struct {
	const char *key;
	char name[32]; /* what key held when its place was found */
	int place;     /* -1: not in the columns */
} places[COLUMNS_MAX];
static size_t n_places;

static int place_of(const char *key)
{
	for (size_t i = 0; i < n_places; i++)
		if (places[i].key == key && strcmp(places[i].name, key) == 0)
			return places[i].place;
	int place = -1;
	for (size_t i = 0; i < n_columns && place < 0; i++)
		if (columns[i] != NULL && strcmp(columns[i], key) == 0)
			place = (int)i;
	if (n_places < COLUMNS_MAX && strlen(key) < sizeof(places[0].name)) {
		places[n_places].key = key;
		strcpy(places[n_places].name, key);
		places[n_places++].place = place;
	}
	return place;
}

void ctl_columns_use(const json_t *reply)
{
	size_t index;
	const json_t *name;
	n_columns = 0;
	n_places = 0;
	json_array_foreach(json_object_get(reply, "columns"), index, name)
	{
		if (n_columns == COLUMNS_MAX)
			break;
		columns[n_columns++] = json_string_value(name);
	}
}

const json_t *ctl_get(const json_t *device, const char *key)
{
	if (!json_is_array(device))
		return json_object_get(device, key);
	int place = place_of(key);
	return place < 0 ? NULL : json_array_get(device, (size_t)place);
}
