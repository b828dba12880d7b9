/* SPDX-License-Identifier: ISC */
/* The status reply of the control protocol (fields in control_protocol.h). */
#include <stdlib.h>
#include <string.h>

#include "device_fields.h"
#include "feed_json.h"
#include "json_text.h"
#include "slot_names.h"
#include "status_json.h"
#include "precondition.h"

json_t *preconditions_json(const struct device_record *device)
{
	json_t *array = json_array();
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *info = precondition_info(i);
		json_array_append_new(
		    array, json_pack("{s:s, s:s, s:o, s:s}", "name", info->name, "state",
		                     verdict_state_name(device->verdicts[i].state), "reason",
		                     json_text(device->verdicts[i].reason), "fix", info->fix));
	}
	return array;
}

json_t *device_json(const struct device_record *device, const struct port_names *names,
                    device_field_mask fields, bool detail)
{
	json_t *object = device_fields_json(device, names, fields);
	if (detail)
		json_object_set_new(object, "preconditions", preconditions_json(device));
	return object;
}

static int compare_devices(const void *a, const void *b)
{
	const struct device_record *x = *(const struct device_record *const *)a;
	const struct device_record *y = *(const struct device_record *const *)b;
	int by_name = strcmp(x->facts.name, y->facts.name);
	return by_name ? by_name : strcmp(x->udid, y->udid);
}

/* A device with its slot label, so sorting resolves each name once. */
struct sort_item {
	const struct device_record *rec;
	struct slot_label label;
	bool by_slot; /* slots are configured: cart order */
};

/* Cart order: phones in configured ports first, as they sit on the cart; then the rest by
 * name. Without configured slots, by name. */
static int compare_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->by_slot && (x->label.configured || y->label.configured)) {
		if (x->label.configured != y->label.configured)
			return x->label.configured ? -1 : 1;
		int c = slot_label_compare(&x->label, x->rec->slot.port_path, &y->label,
		                           y->rec->slot.port_path);
		if (c)
			return c;
	}
	return compare_devices(&x->rec, &y->rec);
}

static bool filter_matches(const struct device_record *device, const char *filter)
{
	return strcmp(device->udid, filter) == 0 || strcmp(device->facts.name, filter) == 0;
}

static bool selected(const struct device_record *device, const char *const *filters,
                     size_t n_filters)
{
	if (n_filters == 0)
		return true;
	for (size_t i = 0; i < n_filters; i++)
		if (filter_matches(device, filters[i]))
			return true;
	return false;
}

/* NULL when every filter names a device; else the error reply listing the others. */
static json_t *unmatched_reply(const struct device_record *const *devices, size_t n,
                               const char *const *filters, size_t n_filters)
{
	json_t *unmatched = json_array();
	for (size_t f = 0; f < n_filters; f++) {
		size_t i = 0;
		while (i < n && !filter_matches(devices[i], filters[f]))
			i++;
		if (i == n)
			json_array_append_new(unmatched, json_string(filters[f]));
	}
	if (json_array_size(unmatched) == 0) {
		json_decref(unmatched);
		return NULL;
	}
	size_t length = 32;
	for (size_t i = 0; i < json_array_size(unmatched); i++)
		length += strlen(json_string_value(json_array_get(unmatched, i))) + 2;
	char *message = malloc(length);
	if (message == NULL) {
		json_decref(unmatched);
		return json_pack("{s:b, s:s}", "ok", 0, "error", "out of memory");
	}
	strcpy(message, "no such device: ");
	for (size_t i = 0; i < json_array_size(unmatched); i++) {
		if (i > 0)
			strcat(message, ", ");
		strcat(message, json_string_value(json_array_get(unmatched, i)));
	}
	json_t *reply =
	    json_pack("{s:b, s:s, s:o}", "ok", 0, "error", message, "unmatched", unmatched);
	free(message);
	return reply;
}

json_t *status_json_head(const struct device_record *const *devices, size_t n,
                         const struct port_names *names, const struct feed_state *feed,
                         int64_t now_unix, const char *const *filters, size_t n_filters,
                         const struct device_record ***out_sorted, size_t *out_n)
{
	*out_sorted = NULL;
	*out_n = 0;
	json_t *error = unmatched_reply(devices, n, filters, n_filters);
	if (error != NULL)
		return error;
	struct sort_item *items = malloc((n ? n : 1) * sizeof(*items));
	const struct device_record **sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (items == NULL || sorted == NULL) {
		free(items);
		free(sorted);
		return json_pack("{s:b, s:s}", "ok", 0, "error", "out of memory");
	}
	size_t total = 0;
	int by_readiness[READINESS_COUNT] = {0}, attached = 0;
	for (size_t i = 0; i < n; i++) {
		if (!selected(devices[i], filters, n_filters))
			continue;
		items[total].rec = devices[i];
		items[total].by_slot = names->n > 0;
		slot_names_resolve(names, devices[i]->slot.port_path, &items[total].label);
		total++;
		by_readiness[verdicts_readiness(devices[i]->verdicts, devices[i]->attached)]++;
		attached += devices[i]->attached;
	}
	qsort(items, total, sizeof(*items), compare_items);
	for (size_t i = 0; i < total; i++)
		sorted[i] = items[i].rec;
	free(items);
	*out_sorted = sorted;
	*out_n = total;
	return json_pack(
	    "{s:b, s:I, s:{s:i, s:i, s:i, s:i, s:i}, s:o}", "ok", 1, "now", (json_int_t)now_unix,
	    "summary", "devices", (int)total, "ready", by_readiness[READINESS_READY], "not_ready",
	    by_readiness[READINESS_NOT_READY], "unknown", by_readiness[READINESS_UNKNOWN],
	    "attached", attached, "feed", feed_json(feed));
}

json_t *status_json(const struct device_record *const *devices, size_t n,
                    const struct port_names *names, const struct feed_state *feed, int64_t now_unix,
                    const char *const *filters, size_t n_filters, bool detail)
{
	const struct device_record **sorted;
	size_t total;
	json_t *reply = status_json_head(devices, n, names, feed, now_unix, filters, n_filters,
	                                 &sorted, &total);
	if (sorted == NULL)
		return reply;
	json_t *array = json_array();
	for (size_t i = 0; i < total; i++)
		json_array_append_new(array,
		                      device_json(sorted[i], names, DEVICE_FIELDS_ALL, detail));
	free(sorted);
	json_object_set_new(reply, "devices", array);
	return reply;
}
