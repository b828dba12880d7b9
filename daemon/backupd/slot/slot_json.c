/* SPDX-License-Identifier: ISC */
/* slot_json: every port any phone was seen in, what it is called, who is in it now, and who
 * was in it last. Derived from the phones' visit histories: the port itself keeps nothing. */
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "slot_json.h"
#include "slot_names.h"
#include "xmalloc.h"

struct port_row {
	const char *port_path;
	struct slot_label label;
	const struct device_record *now;  /* attached in it now */
	const struct device_record *last; /* the latest stay that ended */
	int64_t last_until;
	int64_t last_since;
};

static struct port_row *row_for(struct port_row **rows, size_t *n, size_t *cap,
                                const char *port_path, const struct port_names *names)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*rows)[i].port_path, port_path) == 0)
			return &(*rows)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*rows = xreallocarray(*rows, *cap, sizeof(**rows));
	}
	struct port_row *row = &(*rows)[(*n)++];
	memset(row, 0, sizeof(*row));
	row->port_path = port_path;
	slot_names_resolve(names, port_path, &row->label);
	return row;
}

static void add_device(struct port_row **rows, size_t *n, size_t *cap,
                       const struct device_record *rec, const struct port_names *names)
{
	if (rec->attached && rec->slot.port_path[0])
		row_for(rows, n, cap, rec->slot.port_path, names)->now = rec;
	for (int v = 0; v < rec->slot.n_visits; v++) {
		const struct slot_visit *visit = &rec->slot.visits[v];
		struct port_row *row = row_for(rows, n, cap, visit->port_path, names);
		if (visit->until_unix && visit->until_unix >= row->last_until) {
			row->last = rec;
			row->last_until = visit->until_unix;
			row->last_since = visit->since_unix;
		}
	}
}

static int compare_rows(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	return slot_label_compare(&x->label, x->port_path, &y->label, y->port_path);
}

static json_t *text_or_null(const char *text)
{
	return text && text[0] ? json_text(text) : json_null();
}

static json_t *row_json(const struct port_row *row)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:b}", "port_path", json_text(row->port_path),
	                      "cart", text_or_null(row->label.cart), "slot",
	                      text_or_null(row->label.slot), "configured", row->label.configured);
	json_object_set_new(o, "udid", text_or_null(row->now ? row->now->udid : NULL));
	json_object_set_new(o, "name", text_or_null(row->now ? row->now->facts.name : NULL));
	json_object_set_new(o, "usb_speed_mbps",
	                    row->now && row->now->slot.speed_mbps
	                        ? json_integer(row->now->slot.speed_mbps)
	                        : json_null());
	json_object_set_new(o, "empty_since",
	                    !row->now && row->last_until ? json_integer(row->last_until)
	                                                 : json_null());
	json_object_set_new(o, "last_udid", text_or_null(row->last ? row->last->udid : NULL));
	json_object_set_new(o, "last_name", text_or_null(row->last ? row->last->facts.name : NULL));
	json_object_set_new(o, "last_seen",
	                    row->last ? json_integer(row->last_until) : json_null());
	return o;
}

json_t *slot_json(const struct device_record *const *devices, size_t n,
                  const struct port_names *names, int64_t now_unix)
{
	struct port_row *rows = NULL;
	size_t n_rows = 0, cap = 0;
	for (size_t i = 0; i < n; i++)
		add_device(&rows, &n_rows, &cap, devices[i], names);
	if (n_rows)
		qsort(rows, n_rows, sizeof(*rows), compare_rows);
	json_t *array = json_array();
	for (size_t i = 0; i < n_rows; i++)
		json_array_append_new(array, row_json(&rows[i]));
	free(rows);
	return json_pack("{s:b, s:I, s:o}", "ok", 1, "now", (json_int_t)now_unix, "slots", array);
}
