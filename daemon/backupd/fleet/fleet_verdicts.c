/* SPDX-License-Identifier: ISC */
/* fleet_verdicts (fleet_verdicts.h): the rules over each phone, the fleet-wide service
 * verdict, and the re-evaluations a new status feed or iOS catalog calls for. */
#include <string.h>

#include "clock.h"
#include "fleet_struct.h"
#include "fleet_verdicts.h"
#include "persist.h"
#include "rules.h"
#include "slot_power.h"

void fleet_mark_dirty(struct fleet *fleet)
{
	fleet->generation++;
	persist_mark_dirty(fleet->persist);
}

void fleet_announce_change(struct fleet *fleet)
{
	fleet->generation++;
	if (fleet->changed && !fleet->batching)
		fleet->changed(fleet->changed_arg);
}

/* Runs the rules over what is known of dev and writes the transitions. */
void fleet_evaluate(struct fleet *fleet, struct fleet_device *dev)
{
	struct verdict verdicts[PRECOND_COUNT];
	int64_t now = clock_wall_unix();
	struct rule_limits limits = config_limits_for(fleet->config, dev->rec.udid);
	const struct ios_update *update = fleet_ios_update_of(fleet->ios, dev, fleet->config);
	const struct ios_rule_input ios = fleet_ios_rule_input(fleet->ios, fleet->config, update);
	/* A new CVE list under the same verdict is a change too (pages, status, state file). */
	bool ios_changed = fleet_ios_store(dev, update);
	rules_evaluate(&dev->rec.facts, fleet->have_feed ? &fleet->feed : NULL, &ios, &limits, now,
	               verdicts);
	size_t n_records;
	const struct device_record *const *records =
	    (const struct device_record *const *)fleet_table_records(&fleet->table, &n_records);
	bool slot_changed =
	    slot_power_judge(&dev->rec, dev->probed_here, records, n_records,
	                     &fleet->config->port_names, &verdicts[PRECOND_POWER], now) > 0;
	int written = alert_device_verdicts(&dev->rec, verdicts, now,
	                                    fleet->config->alert_holdoff_ms / 1000, &fleet->alerts);
	bool changed = !verdicts_equal(verdicts, dev->rec.verdicts) || slot_changed || ios_changed;
	memcpy(dev->rec.verdicts, verdicts, sizeof(verdicts));
	bool told = alert_device_repeats(&dev->rec, now, &fleet->alerts) > 0 || written > 0;
	if (told)
		persist_mark_urgent(fleet->persist);
	if (changed || told) {
		fleet_mark_dirty(fleet);
		fleet_announce_change(fleet);
	}
}

/* Re-evaluates every attached device, then says once that something changed. */
void fleet_evaluate_attached(struct fleet *fleet)
{
	fleet->batching = true;
	for (size_t i = 0; i < fleet->table.n; i++)
		if (fleet->table.devices[i]->rec.attached)
			fleet_evaluate(fleet, fleet->table.devices[i]);
	fleet->batching = false;
	fleet_announce_change(fleet);
}

void fleet_evaluate_service(struct fleet *fleet)
{
	int64_t now = clock_wall_unix();
	const struct feed_state *feed = fleet->have_feed ? &fleet->feed : NULL;
	rules_icloud_service(feed, now, &fleet->service);
	int written = alert_icloud_service(&fleet->fleet_alerts, &fleet->service, feed, now,
	                                   fleet->config->alert_holdoff_ms / 1000, &fleet->alerts);
	if (feed)
		written += alert_feed_reachability(&fleet->fleet_alerts, feed, now,
		                                   fleet->config->status_feed_alert_after_ms / 1000,
		                                   &fleet->alerts);
	if (written > 0)
		persist_mark_urgent(fleet->persist);
}

/* One slice of the walk after a catalog change (fleet_ios.h): attached phones are evaluated,
 * detached ones keep no word of a catalog that is gone or replaced. */
void fleet_rejudge_slice(void *arg)
{
	struct fleet *fleet = arg;
	struct fleet_device *dev;
	fleet->batching = true;
	while ((dev = fleet_ios_next(fleet->ios, &fleet->table))) {
		if (dev->rec.attached)
			fleet_evaluate(fleet, dev);
		else if (fleet_ios_store(dev, fleet_ios_update_of(fleet->ios, dev, fleet->config)))
			fleet_mark_dirty(fleet);
	}
	fleet->batching = false;
	fleet_announce_change(fleet);
}

void fleet_ios_catalog_changed(struct fleet *fleet, const struct ios_catalog *catalog)
{
	fleet_ios_set_catalog(fleet->ios, catalog);
}

bool fleet_ios_rejudging(const struct fleet *fleet)
{
	return fleet_ios_walking(fleet->ios);
}

void fleet_feed_changed(struct fleet *fleet, const struct feed_state *feed)
{
	fleet->feed = *feed;
	fleet->have_feed = true;
	fleet_evaluate_service(fleet);
	/* icloud_service is a row of every device's verdicts (never announced per device). */
	fleet_evaluate_attached(fleet);
}
