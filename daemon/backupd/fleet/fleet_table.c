/* SPDX-License-Identifier: ISC */
/* fleet_table: the fleet's devices and their UDID index; see fleet_table.h. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fleet_table.h"
#include "udid_index.h"
#include "xmalloc.h"

void fleet_table_init(struct fleet_table *table)
{
	*table = (struct fleet_table){.by_udid = udid_index_new(), .cap = 64};
	/* Never NULL, even empty: callers may hand the view to memcpy or qsort. */
	table->devices = xreallocarray(NULL, table->cap, sizeof(*table->devices));
	table->record_view = xreallocarray(NULL, table->cap, sizeof(*table->record_view));
}

void fleet_table_free(struct fleet_table *table)
{
	for (size_t i = 0; i < table->n; i++)
		free(table->devices[i]);
	free(table->devices);
	udid_index_free(table->by_udid);
	free(table->record_view);
}

struct fleet_device *fleet_table_find(const struct fleet_table *table, const char *udid)
{
	return udid_index_get(table->by_udid, udid);
}

struct fleet_device *fleet_table_add(struct fleet_table *table, const char *udid)
{
	if (table->n == table->cap) {
		table->cap *= 2;
		table->devices = xreallocarray(table->devices, table->cap, sizeof(*table->devices));
		table->record_view =
		    xreallocarray(table->record_view, table->cap, sizeof(*table->record_view));
	}
	struct fleet_device *dev = xcalloc(1, sizeof(*dev));
	strlcpy_safe(dev->rec.udid, udid, sizeof(dev->rec.udid));
	facts_init(&dev->rec.facts, udid);
	dev->rec.first_seen_unix = clock_wall_unix();
	dev->probe_hint = -1;
	table->record_view[table->n] = &dev->rec;
	table->devices[table->n++] = dev;
	udid_index_put(table->by_udid, dev->rec.udid, dev);
	return dev;
}

struct device_record **fleet_table_records(struct fleet_table *table, size_t *n)
{
	*n = table->n;
	return table->record_view;
}

size_t fleet_table_matches(const struct fleet_table *table, const char *udid_or_name,
                           const char **udids, size_t max)
{
	struct fleet_device *dev = fleet_table_find(table, udid_or_name);
	if (dev) {
		if (max > 0)
			udids[0] = dev->rec.udid;
		return 1;
	}
	size_t n = 0;
	for (size_t i = 0; i < table->n; i++)
		if (strcmp(table->devices[i]->rec.facts.name, udid_or_name) == 0) {
			if (n < max)
				udids[n] = table->devices[i]->rec.udid;
			n++;
		}
	return n;
}

const char *fleet_table_resolve(const struct fleet_table *table, const char *udid_or_name)
{
	const char *udid = NULL;
	return fleet_table_matches(table, udid_or_name, &udid, 1) > 0 ? udid : NULL;
}

size_t fleet_table_keep(struct fleet_table *table,
                        bool (*keep)(struct fleet_device *dev, size_t i, void *arg), void *arg)
{
	size_t kept = 0, n = table->n;
	for (size_t i = 0; i < n; i++) {
		struct fleet_device *dev = table->devices[i];
		if (keep(dev, i, arg)) {
			table->record_view[kept] = &dev->rec;
			table->devices[kept++] = dev;
			continue;
		}
		udid_index_remove(table->by_udid, dev->rec.udid);
		free(dev);
	}
	table->n = kept;
	return n - kept;
}
