/* SPDX-License-Identifier: ISC */
/* backupctl status and refresh: the fleet as a table, or one device in detail. */
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "control_protocol.h"
#include "ctl.h"
#include "models.h"
#include "slot_label.h"

static const struct ctl_column status_columns[] = {
    {"NAME", 28}, {"CART/SLOT", 24}, {"MODEL", 20},  {"iOS", 10},        {"USB", 0},
    {"READY", 0}, {"BLOCKERS", 40},  {"BATTERY", 0}, {"LAST BACKUP", 0},
};
enum { N_STATUS_COLUMNS = sizeof(status_columns) / sizeof(status_columns[0]) };

static const char *text_or_dash(const char *text)
{
	return text != NULL && text[0] != '\0' ? text : "-";
}

static void join_blockers(const json_t *blockers, char *buffer, size_t size)
{
	size_t index;
	const json_t *blocker;
	buffer[0] = '\0';
	json_array_foreach(blockers, index, blocker)
	{
		if (index > 0)
			strncat(buffer, ",", size - strlen(buffer) - 1);
		strncat(buffer, json_string_value(blocker), size - strlen(buffer) - 1);
	}
}

static void format_battery(const json_t *device, char *buffer, size_t size)
{
	const json_t *percent = ctl_get(device, "battery_percent");
	if (!json_is_integer(percent)) {
		snprintf(buffer, size, "-");
		return;
	}
	snprintf(buffer, size, "%lld%%%s", (long long)json_integer_value(percent),
	         json_is_true(ctl_get(device, "charging")) ? " charging" : "");
}

static const char *format_last_backup(const json_t *device, int64_t now, char *buffer, size_t size)
{
	const json_t *last = ctl_get(device, "last_backup");
	if (!json_is_integer(last))
		return ctl_no_backup_word(device);
	return humanize_ago(json_integer_value(last), now, buffer, size);
}

const char *ctl_slot_label(const json_t *object, char *buffer, size_t size)
{
	return slot_label_format(json_string_value(ctl_get(object, "cart")),
	                         json_string_value(ctl_get(object, "slot")),
	                         json_string_value(ctl_get(object, "port_path")), buffer, size);
}

static void add_device_row(struct ctl_table *table, const json_t *device, int64_t now)
{
	bool attached = json_is_true(ctl_get(device, "attached"));
	enum ctl_color ready_color;
	const char *ready = ctl_readiness(device, &ready_color);
	char blockers[256], battery[32], last_backup[32], slot[128];
	join_blockers(ctl_get(device, "blockers"), blockers, sizeof(blockers));
	format_battery(device, battery, sizeof(battery));
	const char *cells[N_STATUS_COLUMNS] = {
	    text_or_dash(json_string_value(ctl_get(device, "name"))),
	    text_or_dash(ctl_slot_label(device, slot, sizeof(slot))),
	    text_or_dash(model_name(json_string_value(ctl_get(device, "product_type")))),
	    text_or_dash(json_string_value(ctl_get(device, "ios"))),
	    json_is_true(ctl_get(device, "restarting")) ? "restarting"
	    : attached                                  ? "attached"
	                                                : "detached",
	    ready,
	    text_or_dash(blockers),
	    battery,
	    format_last_backup(device, now, last_backup, sizeof(last_backup)),
	};
	enum ctl_color colors[N_STATUS_COLUMNS] = {CTL_COLOR_NONE};
	colors[4] = attached ? CTL_COLOR_NONE : CTL_COLOR_GREY;
	colors[5] = ready_color;
	ctl_table_add(table, cells, colors);
}

static int64_t reply_now(const json_t *reply)
{
	return json_integer_value(json_object_get(reply, "now"));
}

static void print_summary(const json_t *reply)
{
	const json_t *summary = json_object_get(reply, "summary");
	long long devices = json_integer_value(json_object_get(summary, "devices"));
	long long attached = json_integer_value(json_object_get(summary, "attached"));
	char feed[256], detached[32] = "";
	if (devices > attached)
		snprintf(detached, sizeof(detached), ", %lld detached", devices - attached);
	printf(
	    "\n%lld device%s, %lld ready, %lld not ready, %lld unknown%s; Apple iCloud Backup: "
	    "%s\n",
	    devices, devices == 1 ? "" : "s",
	    (long long)json_integer_value(json_object_get(summary, "ready")),
	    (long long)json_integer_value(json_object_get(summary, "not_ready")),
	    (long long)json_integer_value(json_object_get(summary, "unknown")), detached,
	    ctl_feed_summary(json_object_get(reply, "feed"), reply_now(reply), feed, sizeof(feed)));
	const json_t *helpers = json_object_get(reply, "probe_helpers");
	if (json_is_true(json_object_get(helpers, "failing")))
		printf("Probe helpers cannot start: %s; no phone can be read\n",
		       json_string_value(json_object_get(helpers, "reason")));
}

static void print_table(const struct ctl_options *options, const json_t *reply)
{
	if (!options->legend) {
		ctl_print_rows(reply);
		return;
	}
	if (json_array_size(json_object_get(reply, "devices")) == 0 && options->legend) {
		printf("No devices known to backupd.\n");
		print_summary(reply);
		return;
	}
	struct ctl_table *table = ctl_table_new(status_columns, N_STATUS_COLUMNS);
	size_t index;
	const json_t *device;
	json_array_foreach(json_object_get(reply, "devices"), index, device)
	    add_device_row(table, device, reply_now(reply));
	ctl_table_print(table, stdout, options->legend);
	ctl_table_free(table);
	if (options->legend)
		print_summary(reply);
}

/* Unknown is not ready here: a check must not pass on health nobody observed. */
int ctl_status_exit(const json_t *reply)
{
	const json_t *summary = json_object_get(reply, "summary");
	const json_t *helpers = json_object_get(reply, "probe_helpers");
	json_int_t devices = json_integer_value(json_object_get(summary, "devices"));
	json_int_t ready = json_integer_value(json_object_get(summary, "ready"));
	return ready < devices || json_is_true(json_object_get(helpers, "failing"))
	           ? CTL_EXIT_NOT_READY
	           : CTL_EXIT_OK;
}

/* Prints a status-shaped reply: detail when one device was named and one matched. */
static int print_status(const struct ctl_options *options, json_t *reply, bool one)
{
	ctl_columns_use(reply);
	ctl_filter_reply(options, reply);
	const json_t *devices = json_object_get(reply, "devices");
	if (options->json)
		ctl_print_json(reply);
	else if (one && json_array_size(devices) == 1)
		ctl_print_detail(options, json_array_get(devices, 0), reply);
	else
		print_table(options, reply);
	return ctl_status_exit(reply);
}

int ctl_print_status_reply(const struct ctl_options *options, json_t *reply)
{
	return print_status(options, reply, false);
}

/* What the table, the --no-legend rows and --state read of each device: a reply of these
 * alone is a third smaller to parse at 1000 phones. The table shows no UDID: only the
 * --no-legend rows ask for it. */
static const char *const table_fields[] = {
    "name",     "product_type", "ios",  "attached", "readiness", "blockers",   "battery_percent",
    "charging", "last_backup",  "cart", "slot",     "port_path", "restarting", "probe_status",
};

static json_t *table_fields_json(bool udid)
{
	json_t *array = json_array();
	if (udid)
		json_array_append_new(array, json_string("udid"));
	for (size_t i = 0; i < sizeof(table_fields) / sizeof(table_fields[0]); i++)
		json_array_append_new(array, json_string(table_fields[i]));
	return array;
}

int ctl_verb_status(const struct ctl_options *options, int argc, char **argv)
{
	json_t *request = ctl_request("status", argc, argv);
	json_object_set_new(request, "detail", json_boolean(argc == 1));
	if (!options->json && argc != 1) { /* a table: --json and the detail view get every field */
		json_object_set_new(request, "fields", table_fields_json(!options->legend));
		json_object_set_new(request, "rows", json_true());
	}
	int exit_code;
	json_t *reply = ctl_call(options, request, &exit_code);
	if (reply == NULL)
		return exit_code;
	exit_code = print_status(options, reply, argc == 1);
	json_decref(reply);
	return exit_code;
}

int ctl_verb_refresh(const struct ctl_options *options, int argc, char **argv)
{
	struct ctl_options longer = *options;
	if (longer.timeout_ms < CTL_REFRESH_TIMEOUT_MS)
		longer.timeout_ms = CTL_REFRESH_TIMEOUT_MS;
	int exit_code;
	json_t *reply = ctl_call(&longer, ctl_request("refresh", argc, argv), &exit_code);
	if (reply == NULL)
		return exit_code;
	long long timed_out = json_integer_value(json_object_get(reply, "timed_out"));
	if (!options->json && options->legend)
		printf("Refreshed %lld device(s), %lld timed out\n\n",
		       (long long)json_integer_value(json_object_get(reply, "refreshed")),
		       timed_out);
	exit_code = print_status(options, reply, false);
	json_decref(reply);
	return exit_code;
}
