/* SPDX-License-Identifier: ISC */
/* fleet_ios (fleet_ios.h): the borrowed catalog, its generation, the judgement cache and the
 * walk that re-judges every phone after a change, a slice per loop turn. */
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "fleet_ios.h"
#include "ios_judge_cache.h"
#include "xmalloc.h"

struct fleet_ios {
	const struct ios_catalog *catalog; /* borrowed from the catalog poller; NULL = none */
	uint64_t generation;               /* counts catalog changes: the cache's key */
	struct ios_judge_cache *judged;
	/* The walk: the table index it has reached, and when the slice under way began. */
	struct event *next_slice;
	bool walking;
	size_t at, served; /* served: phones handed out in the slice under way */
	int64_t slice_us, slice_started_us;
	void (*slice)(void *arg);
	void *arg;
};

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void run_slice(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fleet_ios *ios = arg;
	ios->slice_started_us = now_us();
	ios->served = 0;
	ios->slice(ios->arg);
}

struct fleet_ios *fleet_ios_new(struct event_base *base, int64_t slice_us, void (*slice)(void *arg),
                                void *arg)
{
	struct fleet_ios *ios = xcalloc(1, sizeof(*ios));
	ios->judged = ios_judge_cache_new();
	ios->next_slice = evtimer_new(base, run_slice, ios);
	ios->slice_us = slice_us;
	ios->slice = slice;
	ios->arg = arg;
	return ios;
}

void fleet_ios_free(struct fleet_ios *ios)
{
	if (!ios)
		return;
	event_free(ios->next_slice);
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

void fleet_ios_set_catalog(struct fleet_ios *ios, const struct ios_catalog *catalog)
{
	ios->catalog = catalog;
	ios->generation++;
	ios->walking = true;
	ios->at = 0;
	evtimer_del(ios->next_slice);
	run_slice(-1, 0, ios);
}

struct fleet_device *fleet_ios_next(struct fleet_ios *ios, struct fleet_table *table)
{
	if (!ios->walking)
		return NULL;
	if (ios->at >= table->n) {
		ios->walking = false;
		return NULL;
	}
	/* At least one phone per slice, so that a walk always ends. A zero timer, not
	 * event_active: the loop polls its sockets before it runs the next slice. */
	if (ios->served > 0 && now_us() - ios->slice_started_us >= ios->slice_us) {
		static const struct timeval next_turn = {0, 0};
		evtimer_add(ios->next_slice, &next_turn);
		return NULL;
	}
	ios->served++;
	return table->devices[ios->at++];
}

void fleet_ios_table_shrank(struct fleet_ios *ios)
{
	ios->at = 0;
}

bool fleet_ios_walking(const struct fleet_ios *ios)
{
	return ios->walking;
}
