/* SPDX-License-Identifier: ISC */
/* The fleet's state, shared by the files of fleet/ that make up struct fleet's behaviour
 * (fleet.c: devices, probes, hotplug; fleet_verdicts.c: the rules and what they change).
 * Nothing outside fleet/ includes it: they use fleet.h. */
#ifndef BACKUPD_FLEET_STRUCT_H
#define BACKUPD_FLEET_STRUCT_H

#include <stdbool.h>
#include <stdint.h>

#include "alert.h"
#include "config.h"
#include "feed.h"
#include "fleet_ios.h"
#include "fleet_table.h"

struct event;
struct event_base;
struct persist;
struct probe_pool;
struct refresh_set;
struct slot_lookup;

struct fleet {
	struct event_base *base;
	const struct backupd_config *config;
	struct probe_pool *pool; /* borrowed: backupd owns it and sends its results here */
	struct alert_consumer alert_consumer; /* the alert command's, or none */
	struct alert_sink alerts;             /* the journal, and alert_consumer */
	struct fleet_table table;
	struct feed_state feed;
	bool have_feed;
	struct fleet_ios *ios;
	struct verdict service;
	struct fleet_alerts fleet_alerts;
	bool usbmuxd_present;
	struct event *poll_timer;
	struct persist *persist;
	struct refresh_set *refreshes;
	struct slot_lookup *slot_lookup;
	bool batching; /* evaluating every device: announce once at the end */
	void (*changed)(void *arg);
	void *changed_arg;
	uint64_t generation; /* fleet_generation */
};

#endif
