/* SPDX-License-Identifier: ISC */
/* backupctl status UDID: one device, every precondition with its reason and fix. */
#include <stdio.h>
#include <string.h>

#include "humanize.h"
#include "ctl.h"
#include "models.h"

static const struct ctl_column precondition_columns[] = {
    {"PRECONDITION", 0},
    {"STATE", 0},
    {"REASON", 0},
};

static const char *field(const json_t *object, const char *key)
{
	const char *text = json_string_value(json_object_get(object, key));
	return text != NULL && text[0] != '\0' ? text : "-";
}

static void print_line(const char *label, const char *value)
{
	printf("%14s: %s\n", label, value);
}

static void print_ready(const json_t *device)
{
	enum ctl_color color;
	const char *ready = ctl_readiness(device, &color);
	char line[300];
	size_t index;
	const json_t *blocker;
	snprintf(line, sizeof(line), "%s%s%s", ctl_color(color), ready, ctl_color(CTL_COLOR_RESET));
	json_array_foreach(json_object_get(device, "blockers"), index, blocker)
	{
		size_t used = strlen(line);
		snprintf(line + used, sizeof(line) - used, "%s%s", index ? ", " : " (",
		         json_string_value(blocker));
	}
	if (json_array_size(json_object_get(device, "blockers")) > 0)
		strncat(line, ")", sizeof(line) - strlen(line) - 1);
	print_line("Ready", line);
}

static void print_battery(const json_t *device)
{
	const json_t *percent = json_object_get(device, "battery_percent");
	char line[96] = "-";
	if (json_is_integer(percent))
		snprintf(line, sizeof(line), "%lld%%%s%s", (long long)json_integer_value(percent),
		         json_is_true(json_object_get(device, "charging")) ? ", charging" : "",
		         json_is_true(json_object_get(device, "external_power"))
		             ? ", external power"
		             : "");
	print_line("Battery", line);
}

static void print_when(const char *label, const json_t *value, const char *never, int64_t now,
                       const char *suffix)
{
	char ago[32], line[400];
	if (!json_is_integer(value))
		snprintf(line, sizeof(line), "%s%s", never, suffix);
	else
		snprintf(line, sizeof(line), "%s%s",
		         humanize_ago(json_integer_value(value), now, ago, sizeof(ago)), suffix);
	print_line(label, line);
}

/* Pairing: the state word, what it means or why, and the next step when there is one. */
static void print_pairing(const json_t *device)
{
	const json_t *pairing = json_object_get(device, "pairing");
	if (!pairing)
		return;
	char line[700];
	const char *reason = field(pairing, "reason");
	snprintf(line, sizeof(line), "%s (%s)", field(pairing, "state"),
	         strcmp(reason, "-") ? reason : field(pairing, "meaning"));
	print_line("Pairing", line);
	const char *next = field(pairing, "next_step");
	if (strcmp(next, "-") != 0)
		print_line("Next step", next);
}

/* The iOS catalog's word: the update to install, its date, and which actively exploited
 * CVEs it fixes (the table below keeps the verdict's short reason). */
/* Every id on one line: a list to copy into a ticket, never cut. */
static void print_cves(const json_t *cves)
{
	size_t index;
	const json_t *cve;
	if (json_array_size(cves) == 0)
		return;
	printf("%14s: ", "Exploited CVEs");
	json_array_foreach(cves, index, cve)
	{
		printf("%s%s", index ? ", " : "",
		       json_string_value(cve) ? json_string_value(cve) : "?");
	}
	putchar('\n');
}

static void print_ios_update(const json_t *device)
{
	const json_t *update = json_object_get(device, "ios_update");
	const char *state = json_string_value(json_object_get(update, "state"));
	char line[400], date[32];
	if (!state)
		return;
	if (strcmp(state, "available") == 0) {
		const json_t *released = json_object_get(update, "released");
		json_int_t n = json_integer_value(json_object_get(update, "exploited_count"));
		int used = snprintf(line, sizeof(line), "%s", field(update, "version"));
		if (json_is_integer(released))
			used += snprintf(
			    line + used, sizeof(line) - (size_t)used, ", released %s",
			    humanize_date(json_integer_value(released), date, sizeof(date)));
		if (n > 0)
			used += snprintf(line + used, sizeof(line) - (size_t)used,
			                 "; fixes %lld actively exploited CVE%s", (long long)n,
			                 n == 1 ? "" : "s");
		const char *latest = field(update, "latest");
		if (strcmp(latest, field(update, "version")) != 0)
			snprintf(line + used, sizeof(line) - (size_t)used,
			         "; newest for this model: %s", latest);
	} else if (strcmp(state, "current") == 0)
		snprintf(line, sizeof(line), "none: current (newest for this model: %s)",
		         field(update, "latest"));
	else if (strcmp(state, "ended") == 0)
		snprintf(line, sizeof(line), "none: this model no longer receives iOS updates");
	else
		snprintf(line, sizeof(line), "not judged: the model is not in the iOS catalog");
	print_line("iOS update", line);
	print_cves(json_object_get(update, "exploited_cves"));
}

static void print_identity(const json_t *device, int64_t now)
{
	enum ctl_color color;
	ctl_readiness(device, &color);
	char line[256];
	printf("%s\xe2\x97\x8f%s %s\n", ctl_color(color), ctl_color(CTL_COLOR_RESET),
	       field(device, "name"));
	print_line("UDID", field(device, "udid"));
	const char *product_type = field(device, "product_type");
	snprintf(line, sizeof(line), "%s (%s)", model_name(product_type), product_type);
	print_line("Model", strcmp(product_type, "-") ? line : "-");
	print_line("iOS", field(device, "ios"));
	print_ios_update(device);
	print_line("USB",
	           json_is_true(json_object_get(device, "attached")) ? "attached" : "detached");
	print_ready(device);
	print_battery(device);
	print_when("Last backup", json_object_get(device, "last_backup"),
	           ctl_no_backup_word(device), now, "");
	const char *error = json_string_value(json_object_get(device, "probe_error"));
	snprintf(line, sizeof(line), " (%s%s%s)", field(device, "probe_status"),
	         error && error[0] ? ": " : "", error ? error : "");
	print_when("Last probe", json_object_get(device, "probed_at"), "not yet", now, line);
	print_pairing(device);
}

static void print_preconditions(const struct ctl_options *options, const json_t *device)
{
	struct ctl_table *table = ctl_table_new(precondition_columns, 3);
	size_t index;
	const json_t *row;
	json_array_foreach(json_object_get(device, "preconditions"), index, row)
	{
		const char *state = field(row, "state");
		bool failing = strcmp(state, "failing") == 0;
		const char *cells[3] = {field(row, "name"), state, field(row, "reason")};
		enum ctl_color colors[3] = {CTL_COLOR_NONE,
		                            failing                    ? CTL_COLOR_RED
		                            : strcmp(state, "ok") == 0 ? CTL_COLOR_GREEN
		                                                       : CTL_COLOR_YELLOW,
		                            CTL_COLOR_NONE};
		ctl_table_add(table, cells, colors);
		if (!failing)
			continue;
		char fix[512];
		snprintf(fix, sizeof(fix), "fix: %s", field(row, "fix"));
		const char *fix_cells[3] = {"", "", fix};
		ctl_table_add(table, fix_cells, NULL);
	}
	ctl_table_print(table, stdout, options->legend);
	ctl_table_free(table);
}

void ctl_print_detail(const struct ctl_options *options, const json_t *device, const json_t *reply)
{
	int64_t now = json_integer_value(json_object_get(reply, "now"));
	char feed[256];
	print_identity(device, now);
	print_line("iCloud Backup",
	           ctl_feed_summary(json_object_get(reply, "feed"), now, feed, sizeof(feed)));
	putchar('\n');
	print_preconditions(options, device);
}
