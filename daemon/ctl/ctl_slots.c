/* SPDX-License-Identifier: ISC */
/* backupctl slots: every USB port a phone was seen in, as the cart reads. */
#include <stdio.h>

#include "ctl.h"
#include "humanize.h"

static const struct ctl_column slot_columns[] = {
    {"CART/SLOT", 24}, {"PORT", 0}, {"PHONE NOW", 28}, {"SINCE", 0}, {"LAST PHONE", 28},
};
enum { N_SLOT_COLUMNS = sizeof(slot_columns) / sizeof(slot_columns[0]) };

/* A phone by name, or by UDID when it never told its name. */
static const char *phone(const json_t *row, const char *name_key, const char *udid_key)
{
	const char *name = json_string_value(json_object_get(row, name_key));
	if (name && name[0])
		return name;
	const char *udid = json_string_value(json_object_get(row, udid_key));
	return udid ? udid : NULL;
}

static void add_row(struct ctl_table *table, const json_t *row, int64_t now)
{
	char label[128], since[48] = "-";
	const char *now_phone = phone(row, "name", "udid");
	const json_t *empty_since = json_object_get(row, "empty_since");
	if (!now_phone && json_is_integer(empty_since))
		snprintf(since, sizeof(since), "empty %s",
		         humanize_ago(json_integer_value(empty_since), now, label, sizeof(label)));
	const char *last = phone(row, "last_name", "last_udid");
	const char *cells[N_SLOT_COLUMNS] = {
	    ctl_slot_label(row, label, sizeof(label)),
	    json_string_value(json_object_get(row, "port_path")),
	    now_phone ? now_phone : "(empty)",
	    now_phone ? "-" : since,
	    last ? last : "-",
	};
	enum ctl_color colors[N_SLOT_COLUMNS] = {CTL_COLOR_NONE};
	colors[2] = now_phone ? CTL_COLOR_NONE : CTL_COLOR_GREY;
	ctl_table_add(table, cells, colors);
}

int ctl_render_slots(const struct ctl_options *options, const json_t *reply)
{
	const json_t *slots = json_object_get(reply, "slots");
	int64_t now = json_integer_value(json_object_get(reply, "now"));
	if (options->json) {
		ctl_print_json(reply);
	} else if (json_array_size(slots) == 0 && options->legend) {
		printf("No USB ports seen yet (SysfsRoot not readable, or no phone attached).\n");
	} else {
		struct ctl_table *table = ctl_table_new(slot_columns, N_SLOT_COLUMNS);
		size_t i;
		const json_t *row;
		size_t empty = 0;
		json_array_foreach(slots, i, row)
		{
			add_row(table, row, now);
			empty += json_is_null(json_object_get(row, "udid"));
		}
		ctl_table_print(table, stdout, options->legend);
		ctl_table_free(table);
		if (options->legend)
			printf("\n%zu port%s, %zu empty\n", json_array_size(slots),
			       json_array_size(slots) == 1 ? "" : "s", empty);
	}
	return CTL_EXIT_OK;
}
