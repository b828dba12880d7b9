/* SPDX-License-Identifier: ISC */
/* backupctl --no-legend: one line per device for scripts. Tab-separated, never cut, "-" for
 * an unknown value, machine values (seconds, percent); the columns are in backupctl(1). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "models.h"

/* A cell holds no tab or newline: a name with one would shift every column after it. */
static void put_cell(const char *text, bool last)
{
	if (text == NULL || text[0] == '\0')
		text = "-";
	for (; *text != '\0'; text++)
		putchar(*text == '\t' || *text == '\n' || *text == '\r' ? ' ' : *text);
	putchar(last ? '\n' : '\t');
}

static void put_string_field(const json_t *device, const char *field)
{
	put_cell(json_string_value(ctl_get(device, field)), false);
}

static void put_blockers(const json_t *blockers)
{
	char joined[512] = "";
	size_t index;
	const json_t *blocker;
	json_array_foreach(blockers, index, blocker)
	{
		if (index > 0)
			strncat(joined, ",", sizeof(joined) - strlen(joined) - 1);
		strncat(joined, json_string_value(blocker), sizeof(joined) - strlen(joined) - 1);
	}
	put_cell(joined, false);
}

static void put_number(const json_t *value, bool last)
{
	char text[32] = "";
	if (json_is_integer(value))
		snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
	put_cell(text, last);
}

static void put_bool(const json_t *value)
{
	put_cell(json_is_boolean(value) ? (json_is_true(value) ? "yes" : "no") : NULL, false);
}

static void put_age(const json_t *last_backup, int64_t now)
{
	char text[32] = "";
	if (json_is_integer(last_backup))
		snprintf(text, sizeof(text), "%" PRId64,
		         now - (int64_t)json_integer_value(last_backup));
	put_cell(text, false);
}

void ctl_print_rows(const json_t *reply)
{
	int64_t now = json_integer_value(json_object_get(reply, "now"));
	size_t index;
	const json_t *device;
	json_array_foreach(json_object_get(reply, "devices"), index, device)
	{
		put_string_field(device, "udid");
		put_string_field(device, "name");
		put_cell(model_name(json_string_value(ctl_get(device, "product_type"))), false);
		put_string_field(device, "ios");
		put_cell(json_is_true(ctl_get(device, "attached")) ? "attached" : "detached",
		         false);
		put_cell(ctl_readiness_name(ctl_device_readiness(device)), false);
		put_blockers(ctl_get(device, "blockers"));
		put_number(ctl_get(device, "battery_percent"), false);
		put_bool(ctl_get(device, "charging"));
		put_age(ctl_get(device, "last_backup"), now);
		put_string_field(device, "cart");
		put_string_field(device, "slot");
		put_cell(json_string_value(ctl_get(device, "port_path")), true);
	}
}
