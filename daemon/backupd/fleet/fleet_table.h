/* SPDX-License-Identifier: ISC */
/* fleet_table: the fleet's devices, in order of first sight, indexed by UDID. Owns each
 * struct fleet_device; knows nothing of probes, verdicts or the loop. */
#ifndef BACKUPD_FLEET_TABLE_H
#define BACKUPD_FLEET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

struct fleet_device {
	struct device_record rec;
	int probe_hint; /* helper slot holding its session, -1 = none */
	bool probe_in_flight;
	bool probe_again; /* asked for while a probe was in flight */
	bool probe_stale; /* the probe in flight began before a detach: ignore its result */
	uint32_t attach_generation; /* a slot answer of an older attachment is dropped */
	bool probed_here; /* facts are from a probe of this attachment (charging evidence) */
};

struct fleet_table {
	struct fleet_device **devices;
	size_t n, cap;
	struct udid_index *by_udid;         /* udid -> struct fleet_device */
	struct device_record **record_view; /* &devices[i]->rec, kept beside devices */
};

void fleet_table_init(struct fleet_table *table);
void fleet_table_free(struct fleet_table *table);
struct fleet_device *fleet_table_find(const struct fleet_table *table, const char *udid);
/* A new device never seen, with no facts and no probe hint. */
struct fleet_device *fleet_table_add(struct fleet_table *table, const char *udid);
/* Pointers to every record, in table order: the table's own array, made by no call (a caller
 * that reads it across another's gets the same array), valid until a device is added or
 * forgotten (fleet_table_add, fleet_table_keep). */
struct device_record **fleet_table_records(struct fleet_table *table, size_t *n);
/* The devices a UDID or (failing that) a name names: how many, the first max of their udids
 * in udids (a name two phones share is ambiguous: the caller says so). */
size_t fleet_table_matches(const struct fleet_table *table, const char *udid_or_name,
                           const char **udids, size_t max);
/* The udid of the device with that udid or (failing that) the first with that name, or NULL. */
const char *fleet_table_resolve(const struct fleet_table *table, const char *udid_or_name);
/* Keeps the devices keep says true of (told each one's index), in order, and frees the rest.
 * Returns how many were freed. */
size_t fleet_table_keep(struct fleet_table *table,
                        bool (*keep)(struct fleet_device *dev, size_t i, void *arg), void *arg);

#endif
