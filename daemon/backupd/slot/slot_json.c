/* SPDX-License-Identifier: ISC */
/* slot_json: the rows of slot_ports as the "slots" reply. */
#include <stdlib.h>

#include "json_text.h"
#include "slot_json.h"
#include "slot_ports.h"

static json_t *text_or_null(const char *text)
{
	return text && text[0] ? json_text(text) : json_null();
}

static json_t *row_json(const struct slot_port_row *row)
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
	struct slot_port_row *rows;
	size_t n_rows;
	slot_ports_build(devices, n, names, &rows, &n_rows);
	json_t *array = json_array();
	for (size_t i = 0; i < n_rows; i++)
		json_array_append_new(array, row_json(&rows[i]));
	free(rows);
	return json_pack("{s:b, s:I, s:o}", "ok", 1, "now", (json_int_t)now_unix, "slots", array);
}
