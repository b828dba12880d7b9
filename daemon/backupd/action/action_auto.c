/* SPDX-License-Identifier: ISC */
/* See action_auto.h. Each automation is a row: which action, how long a phone must want it,
 * which phones want it, which day it is for it (-1: not now), and how many may start now. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "action_auto.h"
#include "action_journal.h"
#include "action_request.h"
#include "clock.h"
#include "daily_window.h"
#include "fleet.h"
#include "xmalloc.h"
#include "precondition.h"

#define AUTO_SCAN_S   10
#define SECONDS_A_DAY 86400
/* A phone is restarted only after it has been ready but for its old backup this long: one
 * just plugged in, locked or back on Wi-Fi gets its chance to back up by itself first. */
#define RESTART_SETTLE_S 3600

struct action_auto {
	struct action_ctx *ctx;
	bool enable_backup;
	bool restart;
	struct daily_window restart_window;
	size_t restart_max;
	struct event *timer;
	struct event *soon; /* a scan after a change, outside the caller's callback */
};

struct automation {
	enum action_kind kind;
	int64_t settle_s; /* how long a phone must want it before it is done */
	bool (*wants)(const struct device_record *rec);
	int64_t (*day)(const struct action_auto *aa, int64_t now_unix);
	size_t (*room)(const struct action_auto *aa);
};

static bool wants_backup_on(const struct device_record *rec)
{
	return rec->attached && rec->facts.status == PROBE_OK &&
	       rec->verdicts[PRECOND_BACKUP_ENABLED].state == VERDICT_FAILING;
}

/* Ready but for the age of its last backup: nothing else explains why it does not back up. */
static bool wants_restart(const struct device_record *rec)
{
	if (!rec->attached || rec->restarting || rec->facts.status != PROBE_OK ||
	    rec->verdicts[PRECOND_BACKUP_RECENT].state != VERDICT_FAILING)
		return false;
	struct verdict but_recent[PRECOND_COUNT];
	memcpy(but_recent, rec->verdicts, sizeof(but_recent));
	but_recent[PRECOND_BACKUP_RECENT].state = VERDICT_OK;
	return verdicts_readiness(but_recent, true) == READINESS_READY;
}

static int64_t utc_day(const struct action_auto *aa, int64_t now_unix)
{
	return aa->enable_backup ? now_unix / SECONDS_A_DAY : -1;
}

static int64_t window_day(const struct action_auto *aa, int64_t now_unix)
{
	return aa->restart ? daily_window_day(&aa->restart_window, now_unix) : -1;
}

static size_t no_limit(const struct action_auto *aa)
{
	(void)aa;
	return SIZE_MAX;
}

static size_t restart_room(const struct action_auto *aa)
{
	size_t busy = action_request_restarts_in_flight(aa->ctx);
	return busy < aa->restart_max ? aa->restart_max - busy : 0;
}

static const struct automation automations[] = {
    {ACTION_KIND_ENABLE_BACKUP, 0, wants_backup_on, utc_day, no_limit},
    {ACTION_KIND_RESTART, RESTART_SETTLE_S, wants_restart, window_day, restart_room},
};

/* Keeps wanted_since up to date; true when rec is due for it now. The day only grows: after
 * the wall clock steps back over midnight, an earlier day does not get a second go. */
static bool due(struct action_auto *aa, const struct automation *what,
                const struct device_record *rec, int64_t day, int64_t elapsed_s)
{
	struct auto_memory memory = rec->automatic;
	int64_t *since = &memory.wanted_since_s[what->kind];
	bool wants = what->wants(rec);
	if (wants != (*since != 0)) {
		*since = wants ? elapsed_s : 0;
		fleet_set_auto(aa->ctx->fleet, rec->udid, &memory);
	}
	return wants && day >= 0 && memory.day[what->kind] < day &&
	       elapsed_s - *since >= what->settle_s && !action_request_busy(aa->ctx, rec->udid);
}

static void run(struct action_auto *aa, const struct automation *what, int64_t now_unix)
{
	int64_t day = what->day(aa, now_unix);
	size_t room = day < 0 ? 0 : what->room(aa);
	size_t n;
	const struct device_record *const *records = fleet_records(aa->ctx->fleet, &n);
	const char **chosen = xcalloc(n ? n : 1, sizeof(*chosen));
	size_t n_chosen = 0;
	int64_t elapsed_s = clock_elapsed_s();
	for (size_t i = 0; i < n; i++)
		if (due(aa, what, records[i], day, elapsed_s) && n_chosen < room)
			chosen[n_chosen++] = records[i]->udid;
	for (size_t i = 0; i < n_chosen; i++) {
		struct auto_memory memory = fleet_record(aa->ctx->fleet, chosen[i])->automatic;
		memory.day[what->kind] = day;
		fleet_set_auto(aa->ctx->fleet, chosen[i], &memory);
	}
	if (n_chosen > 0)
		action_request_start(aa->ctx, what->kind, ACTION_UID_AUTO, NULL, chosen, n_chosen);
	free(chosen);
}

void action_auto_scan(struct action_auto *aa)
{
	int64_t now_unix = clock_wall_unix();
	for (size_t i = 0; i < sizeof(automations) / sizeof(automations[0]); i++)
		run(aa, &automations[i], now_unix);
}

static void scan_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	action_auto_scan(arg);
}

struct action_auto *action_auto_new(struct action_ctx *ctx)
{
	struct action_auto *aa = xcalloc(1, sizeof(*aa));
	aa->ctx = ctx;
	aa->timer = event_new(ctx->base, -1, EV_PERSIST, scan_cb, aa);
	aa->soon = event_new(ctx->base, -1, 0, scan_cb, aa);
	return aa;
}

static bool any_on(const struct action_auto *aa)
{
	return aa->enable_backup || aa->restart;
}

void action_auto_set(struct action_auto *aa, const struct action_auto_config *config)
{
	aa->enable_backup = config->enable_backup;
	aa->restart = daily_window_parse_auto_restart(config->restart, &aa->restart_window) == 1;
	aa->restart_max = config->restart_max > 0 ? (size_t)config->restart_max : 1;
	struct timeval every = {AUTO_SCAN_S, 0};
	if (any_on(aa))
		evtimer_add(aa->timer, &every);
	else
		evtimer_del(aa->timer);
}

void action_auto_scan_soon(struct action_auto *aa)
{
	if (any_on(aa) && !event_pending(aa->soon, EV_TIMEOUT, NULL))
		event_active(aa->soon, EV_TIMEOUT, 0);
}

void action_auto_free(struct action_auto *aa)
{
	if (!aa)
		return;
	event_free(aa->timer);
	event_free(aa->soon);
	free(aa);
}
