/* SPDX-License-Identifier: ISC */
/* fleet_ios (fleet_ios.h): the borrowed catalog, its generation and the judgement cache. */
#include <stdlib.h>

#include "fleet_ios.h"
#include "ios_judge_cache.h"
#include "xmalloc.h"

struct fleet_ios {
	const struct ios_catalog *catalog; /* borrowed from the catalog poller; NULL = none */
	uint64_t generation;               /* counts catalog changes: the cache's key */
	struct ios_judge_cache *judged;
};

struct fleet_ios *fleet_ios_new(void)
{
	struct fleet_ios *ios = xcalloc(1, sizeof(*ios));
	ios->judged = ios_judge_cache_new();
	return ios;
}

void fleet_ios_free(struct fleet_ios *ios)
{
	if (!ios)
		return;
	ios_judge_cache_free(ios->judged);
	free(ios);
}

static bool newest_major(const struct backupd_config *config)
{
	return config->ios_target == IOS_TARGET_LATEST;
}

const struct ios_update *fleet_ios_update_of(struct fleet_ios *ios, const struct fleet_device *dev,
                                             const struct backupd_config *config)
{
	return ios_judge_cache_get(ios->judged, ios->catalog, ios->generation, newest_major(config),
	                           dev->rec.facts.product_type, dev->rec.facts.product_version);
}

struct ios_rule_input fleet_ios_rule_input(const struct fleet_ios *ios,
                                           const struct backupd_config *config,
                                           const struct ios_update *update)
{
	struct ios_rule_input in = {ios->catalog, config->ios_update_grace_s,
	                            config->ios_exploited_grace_s, update, newest_major(config)};
	return in;
}

bool fleet_ios_store(struct fleet_device *dev, const struct ios_update *update)
{
	struct ios_update next = {.state = IOS_UPDATE_NONE};
	if (update)
		next = *update;
	bool changed = !ios_update_same(&next, &dev->rec.ios);
	dev->rec.ios = next;
	return changed;
}

size_t fleet_ios_set_catalog(struct fleet_ios *ios, const struct ios_catalog *catalog,
                             struct fleet_table *table, const struct backupd_config *config)
{
	size_t changed = 0;
	ios->catalog = catalog;
	ios->generation++;
	/* Detached phones keep no word of a catalog that is gone or replaced. */
	for (size_t i = 0; i < table->n; i++) {
		struct fleet_device *dev = table->devices[i];
		if (!dev->rec.attached &&
		    fleet_ios_store(dev, fleet_ios_update_of(ios, dev, config)))
			changed++;
	}
	return changed;
}
