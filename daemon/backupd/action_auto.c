/* SPDX-License-Identifier: ISC */
/* See action_auto.h. */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "action_auto.h"
#include "action_journal.h"
#include "action_request.h"
#include "clock.h"
#include "fleet.h"
#include "xmalloc.h"

#define AUTO_SCAN_S   10
#define SECONDS_A_DAY 86400

/* The day each phone was last tried: one row per phone ever tried (bounded by the fleet). */
struct tried {
	char udid[UDID_MAX];
	int64_t day;
};

struct action_auto {
	struct action_ctx *ctx;
	bool enabled;
	struct event *timer;
	struct event *soon; /* a scan after a verdict change, outside the fleet's callback */
	struct tried *tried;
	size_t n_tried, cap_tried;
};

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

void action_auto_set(struct action_auto *aa, bool enabled)
{
	aa->enabled = enabled;
	struct timeval every = {AUTO_SCAN_S, 0};
	if (enabled)
		evtimer_add(aa->timer, &every);
	else
		evtimer_del(aa->timer);
}

static struct tried *find_tried(struct action_auto *aa, const char *udid)
{
	for (size_t i = 0; i < aa->n_tried; i++)
		if (strcmp(aa->tried[i].udid, udid) == 0)
			return &aa->tried[i];
	if (aa->n_tried == aa->cap_tried) {
		aa->cap_tried = aa->cap_tried ? aa->cap_tried * 2 : 16;
		aa->tried = xreallocarray(aa->tried, aa->cap_tried, sizeof(*aa->tried));
	}
	struct tried *row = &aa->tried[aa->n_tried++];
	strlcpy_safe(row->udid, udid, sizeof(row->udid));
	row->day = -1;
	return row;
}

static bool wants_backup_on(const struct device_record *rec)
{
	return rec->attached && rec->facts.status == PROBE_OK &&
	       rec->verdicts[PRECOND_BACKUP_ENABLED].state == VERDICT_FAILING;
}

void action_auto_scan_soon(struct action_auto *aa)
{
	if (aa->enabled && !event_pending(aa->soon, EV_TIMEOUT, NULL))
		event_active(aa->soon, EV_TIMEOUT, 0);
}

void action_auto_scan(struct action_auto *aa)
{
	if (!aa->enabled)
		return;
	int64_t today = clock_wall_unix() / SECONDS_A_DAY;
	size_t n;
	const struct device_record *const *records = fleet_records(aa->ctx->fleet, &n);
	const char **udids = xcalloc(n ? n : 1, sizeof(*udids));
	size_t n_due = 0;
	for (size_t i = 0; i < n; i++) {
		if (!wants_backup_on(records[i]) || action_request_busy(aa->ctx, records[i]->udid))
			continue;
		struct tried *row = find_tried(aa, records[i]->udid);
		if (row->day == today)
			continue;
		row->day = today;
		udids[n_due++] = records[i]->udid;
	}
	if (n_due > 0)
		action_request_start(aa->ctx, ACTION_KIND_ENABLE_BACKUP, ACTION_UID_AUTO, NULL,
		                     udids, n_due);
	free(udids);
}

void action_auto_free(struct action_auto *aa)
{
	if (!aa)
		return;
	event_free(aa->timer);
	event_free(aa->soon);
	free(aa->tried);
	free(aa);
}
