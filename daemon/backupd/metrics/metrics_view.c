/* SPDX-License-Identifier: ISC */
/* Gathering one scrape's view: the only part of /metrics that reads the fleet, the probe
 * pool, the alert command's runner and the journal writer. */
#include "fleet.h"
#include "fleet_summary.h"
#include "journal.h"
#include "metrics_view.h"
#include "probe_pool.h"

void metrics_view_of(struct fleet *fleet, const struct backupd_config *config,
                     const struct probe_pool *pool, const struct hook_runner *alert_command,
                     struct metrics_view *out)
{
	struct fleet_summary summary;
	fleet_summary(fleet, &summary);
	out->records = fleet_records(fleet, &out->n_records);
	out->config = config;
	out->feed = fleet_feed(fleet);
	out->service = fleet_service(fleet);
	out->usbmuxd_up = summary.usbmuxd_present;
	out->probes = probe_pool_stats(pool);
	hook_runner_stats(alert_command, &out->alert_command); /* NULL runner: zero */
	out->journal_dropped = journal_dropped_total();
	out->ios_catalog = NULL; /* the caller that owns the catalog's poller fills these in */
	out->ios_releases = 0;
}
