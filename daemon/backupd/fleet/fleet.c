/* SPDX-License-Identifier: ISC */
/* fleet: the devices, their probes, verdicts and alerts. Everything here runs on the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alert.h"
#include "clock.h"
#include "facts_carry.h"
#include "fleet.h"
#include "fleet_ios.h"
#include "fleet_persist.h"
#include "fleet_struct.h"
#include "fleet_table.h"
#include "fleet_verdicts.h"
#include "forget.h"
#include "persist.h"
#include "probe_pool.h"
#include "refresh.h"
#include "rules.h"
#include "slot_history.h"
#include "slot_lookup.h"
#include "slot_oncart.h"
#include "xmalloc.h"

/* Every change to a record starts here, or is marked dirty or announced: a new generation. */
static struct fleet_device *find_device(struct fleet *fleet, const char *udid)
{
	fleet->generation++;
	return fleet_table_find(&fleet->table, udid);
}

/* A queued probe has not read the device yet, so it serves this request too; only a probe
 * already running may predate what the request wants to see. */
static void request_probe(struct fleet *fleet, struct fleet_device *dev)
{
	if (dev->probe_in_flight) {
		if (probe_pool_running(fleet->pool, dev->rec.udid))
			dev->probe_again = true;
		return;
	}
	dev->probe_in_flight = true;
	probe_pool_submit(fleet->pool, dev->rec.udid, dev->probe_hint);
}

void fleet_probe_done(struct fleet *fleet, const struct device_facts *facts, int served_by)
{
	struct fleet_device *dev = find_device(fleet, facts->udid);
	if (!dev)
		return;
	dev->probe_in_flight = false;
	dev->probe_hint = served_by;
	bool stale = dev->probe_stale;
	dev->probe_stale = false;
	if (dev->rec.attached && !stale && facts->status != PROBE_NOT_YET) {
		bool identity_changed =
		    strcmp(dev->rec.facts.name, facts->name) != 0 ||
		    strcmp(dev->rec.facts.product_version, facts->product_version) != 0;
		facts_carry_probe(&dev->rec.facts, facts);
		if (facts->status == PROBE_OK)
			dev->rec.last_probe_ok_unix = facts->probed_at_unix;
		dev->probed_here = true;
		fleet_evaluate(fleet, dev);
		if (identity_changed)
			fleet_mark_dirty(fleet);
	}
	/* A probe cancelled by a reload read nothing: it refreshes no one, and the device still
	 * needs one, which starts after every request now waiting. */
	if (facts->status == PROBE_NOT_YET) {
		dev->probe_again = true;
		refresh_note_cancelled(fleet->refreshes, facts->udid);
	} else
		refresh_note_probe(fleet->refreshes, facts->udid);
	if (dev->probe_again && dev->rec.attached) {
		dev->probe_again = false;
		request_probe(fleet, dev);
	}
}

struct forgetting {
	const struct alert_sink *alerts;
	const enum forget_reason *why;
	const struct forget_policy *policy;
	int64_t now;
	size_t n;
};

static bool keep_or_announce(struct fleet_device *dev, size_t i, void *arg)
{
	const struct forgetting *f = arg;
	/* A probe still running from before its detach would, if the phone came back as a new
	 * record, pass for the new attachment's: wait for it. */
	if (f->why[i] == FORGET_KEEP || dev->probe_in_flight)
		return true;
	char reason[200];
	alert_device_forgotten(&dev->rec,
	                       forget_reason_text(&dev->rec, f->why[i], f->now, f->policy, f->n,
	                                          reason, sizeof(reason)),
	                       f->alerts);
	return false;
}

void fleet_forget(struct fleet *fleet)
{
	size_t n;
	const struct device_record *const *recs = fleet_records(fleet, &n);
	enum forget_reason *why = xcalloc(n ? n : 1, sizeof(*why));
	struct forget_policy policy = {fleet->config->forget_after_s,
	                               (size_t)fleet->config->max_remembered};
	struct forgetting f = {&fleet->alerts, why, &policy, clock_wall_unix(), n};
	if (forget_select(recs, n, f.now, &policy, why) > 0 &&
	    fleet_table_keep(&fleet->table, keep_or_announce, &f) > 0) {
		fleet_ios_table_shrank(fleet->ios);
		persist_mark_urgent(fleet->persist);
		fleet_announce_change(fleet);
	}
	free(why);
}

static void device_attached(struct fleet *fleet, const char *udid)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev)
		dev = fleet_table_add(&fleet->table, udid);
	if (dev->rec.attached)
		return; /* the start-up listing and the subscription both report it */
	dev->rec.attached = true;
	dev->probed_here = false;
	dev->rec.last_seen_unix = clock_wall_unix();
	facts_carry_identity(&dev->rec.facts);
	if (slot_oncart_returned(&dev->rec, &fleet->config->port_names))
		persist_mark_urgent(fleet->persist);
	alert_device_attached(&dev->rec, &fleet->alerts);
	fleet_evaluate(fleet, dev);
	fleet_mark_dirty(fleet);
	fleet_announce_change(fleet);
	request_probe(fleet, dev);
	slot_lookup_submit(fleet->slot_lookup, udid, ++dev->attach_generation);
	if (fleet->table.n > (size_t)fleet->config->max_remembered)
		fleet_forget(fleet); /* a flood of new serials must not grow the fleet unbounded */
}

/* The slot lookup's answer, on the loop: the port of the attachment it was asked for. */
static void slot_found(void *arg, const char *udid, uint32_t generation, bool found,
                       const struct slot_port *port)
{
	struct fleet *fleet = arg;
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev || !dev->rec.attached || generation != dev->attach_generation || !found ||
	    strcmp(dev->rec.slot.port_path, port->port_path) == 0)
		return;
	slot_history_found(&dev->rec.slot, port->port_path, port->speed_mbps, clock_wall_unix());
	fleet_mark_dirty(fleet);
	fleet_announce_change(fleet);
}

static void device_detached(struct fleet *fleet, const char *udid)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev || !dev->rec.attached)
		return;
	dev->rec.attached = false;
	dev->rec.last_seen_unix = clock_wall_unix();
	dev->probe_again = false;
	dev->attach_generation++;
	slot_history_detached(&dev->rec.slot, dev->rec.last_seen_unix);
	alert_device_detached(&dev->rec, &fleet->alerts);
	if (slot_oncart_check(&dev->rec, fleet->config->on_cart_hours, &fleet->config->port_names,
	                      dev->rec.last_seen_unix))
		persist_mark_urgent(fleet->persist);
	if (probe_pool_forget(fleet->pool, udid))
		dev->probe_in_flight = false; /* it was still queued: no result will come */
	else if (dev->probe_in_flight)
		dev->probe_stale = true; /* it was running: its result is of the old attachment */
	fleet_mark_dirty(fleet);
	fleet_announce_change(fleet);
}

void fleet_hotplug(struct fleet *fleet, enum hotplug_kind kind, const char *udid)
{
	switch (kind) {
	case HOTPLUG_ATTACHED:
		device_attached(fleet, udid);
		break;
	case HOTPLUG_DETACHED:
		device_detached(fleet, udid);
		break;
	case HOTPLUG_PAIRED: {
		/* Trust was tapped: the old failure (not paired) is stale, probe at once. */
		struct fleet_device *dev = find_device(fleet, udid);
		if (dev && dev->rec.attached)
			request_probe(fleet, dev);
		break;
	}
	}
}

void fleet_usbmuxd_presence(struct fleet *fleet, bool present)
{
	fleet->usbmuxd_present = present;
	char path[108] = "";
	hotplug_usbmuxd_path(path, sizeof(path));
	char detail[160];
	snprintf(detail, sizeof(detail), "no usbmuxd listening at %s", path);
	if (alert_usbmuxd(&fleet->fleet_alerts, present, present ? NULL : detail, &fleet->alerts) >
	    0)
		persist_mark_urgent(fleet->persist);
	fleet_announce_change(fleet);
}

static void poll_all(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fleet *fleet = arg;
	for (size_t i = 0; i < fleet->table.n; i++) {
		struct fleet_device *dev = fleet->table.devices[i];
		if (!dev->rec.attached) {
			if (slot_oncart_check(&dev->rec, fleet->config->on_cart_hours,
			                      &fleet->config->port_names, clock_wall_unix()))
				persist_mark_urgent(fleet->persist);
			continue;
		}
		request_probe(fleet, dev);
		if (!dev->rec.slot.port_path[0]) /* not enumerated yet when it attached */
			slot_lookup_submit(fleet->slot_lookup, dev->rec.udid,
			                   dev->attach_generation);
	}
	/* Time passes for the feed too: "unreachable for longer than ..." needs a clock tick. */
	fleet_evaluate_service(fleet);
	fleet_forget(fleet);
}

static void schedule_polls(struct fleet *fleet)
{
	struct timeval every = clock_timeval_ms(fleet->config->poll_interval_ms);
	event_del(fleet->poll_timer);
	event_add(fleet->poll_timer, &every);
}

static void save_due(void *arg)
{
	fleet_save_state(arg);
}

struct fleet *fleet_new(struct event_base *base, const struct backupd_config *config,
                        struct probe_pool *pool, const struct alert_consumer *alert_consumer)
{
	struct fleet *fleet = xcalloc(1, sizeof(*fleet));
	fleet->base = base;
	fleet->config = config;
	fleet->pool = pool;
	if (alert_consumer)
		fleet->alert_consumer = *alert_consumer;
	fleet->alerts.consumer = &fleet->alert_consumer;
	fleet_table_init(&fleet->table);
	fleet->poll_timer = event_new(base, -1, EV_PERSIST, poll_all, fleet);
	fleet->persist = persist_new(base, save_due, fleet);
	fleet->refreshes = refresh_set_new(base);
	fleet->slot_lookup = slot_lookup_new(base, slot_found, fleet);
	fleet->ios = fleet_ios_new(base, FLEET_IOS_SLICE_US, fleet_rejudge_slice, fleet);
	slot_lookup_set_root(fleet->slot_lookup, config->sysfs_root);
	fleet->usbmuxd_present = true;
	rules_icloud_service(NULL, clock_wall_unix(), &fleet->service);
	schedule_polls(fleet);
	return fleet;
}

void fleet_reconfigure(struct fleet *fleet, const struct backupd_config *config)
{
	fleet->config = config;
	slot_lookup_set_root(fleet->slot_lookup, config->sysfs_root);
	schedule_polls(fleet);
	/* New limits (MinimumIOS, ICloudQuota, ...) apply at once, without a probe. */
	fleet_evaluate_attached(fleet);
}

void fleet_on_change(struct fleet *fleet, void (*changed)(void *arg), void *arg)
{
	fleet->changed = changed;
	fleet->changed_arg = arg;
}

void fleet_load_state(struct fleet *fleet)
{
	fleet_persist_load(&fleet->table, fleet->config->state_directory, &fleet->fleet_alerts);
}

void fleet_save_state(struct fleet *fleet)
{
	fleet_persist_save(&fleet->table, fleet->persist, fleet->config, &fleet->fleet_alerts);
}

void fleet_refresh(struct fleet *fleet, const char *const *udids, size_t n, int64_t limit_ms,
                   fleet_refresh_done_fn done, void *arg)
{
	size_t want = n ? n : fleet->table.n;
	const char **wanted = xcalloc(want ? want : 1, sizeof(*wanted));
	bool *running = xcalloc(want ? want : 1, sizeof(*running));
	size_t n_wanted = 0;
	int skipped = 0;
	for (size_t i = 0; i < want; i++) {
		struct fleet_device *dev =
		    find_device(fleet, n ? udids[i] : fleet->table.devices[i]->rec.udid);
		if (!dev || !dev->rec.attached) {
			skipped += n ? 1 : 0; /* "all" means every attached device */
			continue;
		}
		running[n_wanted] =
		    dev->probe_in_flight && probe_pool_running(fleet->pool, dev->rec.udid);
		wanted[n_wanted++] = dev->rec.udid;
	}
	refresh_wait_start(fleet->refreshes, wanted, running, n_wanted, skipped, limit_ms, done,
	                   arg);
	for (size_t i = 0; i < n_wanted; i++)
		request_probe(fleet, find_device(fleet, wanted[i]));
	free(wanted);
	free(running);
}

const struct device_record *const *fleet_records(struct fleet *fleet, size_t *n)
{
	return (const struct device_record *const *)fleet_table_records(&fleet->table, n);
}

const struct device_record *fleet_record(struct fleet *fleet, const char *udid)
{
	struct fleet_device *dev = find_device(fleet, udid);
	return dev ? &dev->rec : NULL;
}

const char *fleet_resolve(struct fleet *fleet, const char *udid_or_name)
{
	return fleet_table_resolve(&fleet->table, udid_or_name);
}

size_t fleet_matches(struct fleet *fleet, const char *udid_or_name, const char **udids, size_t max)
{
	return fleet_table_matches(&fleet->table, udid_or_name, udids, max);
}

const struct feed_state *fleet_feed(const struct fleet *fleet)
{
	return fleet->have_feed ? &fleet->feed : NULL;
}

void fleet_set_restarting(struct fleet *fleet, const char *udid, bool restarting)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (dev)
		dev->rec.restarting = restarting;
}

void fleet_set_auto(struct fleet *fleet, const char *udid, const struct auto_memory *memory)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev)
		return;
	/* Chosen for today: saved at once, so a kill -9 now does not do it twice today. */
	if (memcmp(dev->rec.automatic.day, memory->day, sizeof(memory->day)) != 0)
		persist_mark_urgent(fleet->persist);
	dev->rec.automatic = *memory;
}

void fleet_set_pairing(struct fleet *fleet, const char *udid, const struct pair_memory *memory)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev)
		return;
	bool changed = dev->rec.pairing.state != memory->state;
	dev->rec.pairing = *memory;
	if (changed)
		fleet_announce_change(fleet);
}

const struct verdict *fleet_service(const struct fleet *fleet)
{
	return &fleet->service;
}

uint64_t fleet_generation(const struct fleet *fleet)
{
	return fleet->generation;
}

bool fleet_usbmuxd_present(const struct fleet *fleet)
{
	return fleet->usbmuxd_present;
}

void fleet_free(struct fleet *fleet)
{
	if (!fleet)
		return;
	refresh_set_free(fleet->refreshes);
	slot_lookup_free(fleet->slot_lookup);
	fleet_save_state(fleet);
	persist_free(fleet->persist);
	event_free(fleet->poll_timer);
	fleet_table_free(&fleet->table);
	fleet_ios_free(fleet->ios);
	free(fleet);
}
