/* SPDX-License-Identifier: ISC */
/* See action_pair_auto.h. */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "action_journal.h"
#include "action_pair_auto.h"
#include "clock.h"
#include "config.h"
#include "fleet.h"
#include "xmalloc.h"

struct pair_auto {
	struct action_ctx *ctx;
	int mode;
	bool have_identity;
	struct event *timer;
	struct event *soon; /* a scan outside the fleet's callback */
};

/* The pairing state a probe shows, or the state kept when the probe says nothing new. */
static enum pair_state from_probe(const struct device_record *rec)
{
	enum pair_state kept = rec->pairing.state;
	switch (rec->facts.status) {
	case PROBE_OK:
		return pair_state_unpaired(kept) || kept == PAIR_UNKNOWN ? PAIR_PAIRED : kept;
	case PROBE_TRUST_PENDING:
		return PAIR_WAITING_TRUST;
	case PROBE_PAIRING_DENIED:
		return PAIR_DENIED;
	case PROBE_NOT_PAIRED:
		if (rec->facts.pairing_prohibited)
			return PAIR_PROHIBITED;
		if (rec->facts.record_rejected)
			return kept == PAIR_UNKNOWN || !pair_state_unpaired(kept) ? PAIR_EXPIRED
			                                                          : kept;
		return kept == PAIR_UNKNOWN || !pair_state_unpaired(kept) ? PAIR_NO_RECORD : kept;
	default:
		return kept;
	}
}

static void note_probe(struct pair_auto *pa, const struct device_record *rec)
{
	struct pair_memory memory = rec->pairing;
	memory.state = from_probe(rec);
	memory.auto_pairs = pair_auto_pairs(pa);
	if (memory.state == rec->pairing.state && memory.auto_pairs == rec->pairing.auto_pairs)
		return;
	if (memory.state != rec->pairing.state) {
		memory.since_unix = clock_wall_unix();
		strlcpy_safe(memory.reason,
		             memory.state == PAIR_UNKNOWN ? "" : pair_state_meaning(memory.state),
		             sizeof(memory.reason));
	}
	fleet_set_pairing(pa->ctx->fleet, rec->udid, &memory);
	if (memory.state == PAIR_EXPIRED)
		action_journal_pairing(rec, &memory); /* once: only on the way in */
}

static bool retried_state(enum pair_state state)
{
	return state == PAIR_LOCKED || state == PAIR_WAITING_TRUST || state == PAIR_FAILED;
}

static bool wants_pair(const struct pair_auto *pa, const struct device_record *rec)
{
	if (!pair_auto_pairs(pa) || !rec->attached || rec->facts.status != PROBE_NOT_PAIRED ||
	    action_request_busy(pa->ctx, rec->udid))
		return false;
	enum pair_state state = rec->pairing.state;
	if (state == PAIR_NO_RECORD || state == PAIR_EXPIRED)
		return true; /* a fresh cause: at once */
	return retried_state(state) && clock_elapsed_s() - rec->pairing.tried_s >= PAIR_RETRY_S;
}

/* The UDIDs of every record, copied: each change announced reallocates fleet_records(). */
static char (*udids_of(struct fleet *fleet, size_t *n))[UDID_MAX]
{
	const struct device_record *const *records = fleet_records(fleet, n);
	char(*udids)[UDID_MAX] = xcalloc(*n ? *n : 1, UDID_MAX);
	for (size_t i = 0; i < *n; i++)
		strlcpy_safe(udids[i], records[i]->udid, UDID_MAX);
	return udids;
}

void pair_auto_scan(struct pair_auto *pa)
{
	struct fleet *fleet = pa->ctx->fleet;
	size_t n;
	char(*udids)[UDID_MAX] = udids_of(fleet, &n);
	const char **chosen = xcalloc(n ? n : 1, sizeof(*chosen));
	size_t n_chosen = 0;
	for (size_t i = 0; i < n; i++) {
		const struct device_record *rec = fleet_record(fleet, udids[i]);
		if (rec && rec->attached && !action_request_busy(pa->ctx, udids[i]))
			note_probe(pa, rec);
		rec = fleet_record(fleet, udids[i]);
		if (rec && wants_pair(pa, rec)) {
			struct pair_memory memory = rec->pairing;
			memory.tried_s = clock_elapsed_s();
			fleet_set_pairing(fleet, udids[i], &memory);
			chosen[n_chosen++] = udids[i];
		}
	}
	if (n_chosen > 0)
		action_request_start(pa->ctx, ACTION_KIND_PAIR, ACTION_UID_AUTO, NULL, chosen,
		                     n_chosen);
	free(chosen);
	free(udids);
}

static void scan_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pair_auto_scan(arg);
}

struct pair_auto *pair_auto_new(struct action_ctx *ctx)
{
	struct pair_auto *pa = xcalloc(1, sizeof(*pa));
	pa->ctx = ctx;
	pa->timer = event_new(ctx->base, -1, EV_PERSIST, scan_cb, pa);
	pa->soon = event_new(ctx->base, -1, 0, scan_cb, pa);
	struct timeval every = {PAIR_RETRY_S / 3, 0};
	evtimer_add(pa->timer, &every);
	return pa;
}

/* Clears the remembered outcome of the phones in state (any unpaired state: PAIR_UNKNOWN), so
 * the next scan tries them again. */
static void retry_phones(struct pair_auto *pa, enum pair_state only)
{
	size_t n;
	char(*udids)[UDID_MAX] = udids_of(pa->ctx->fleet, &n);
	for (size_t i = 0; i < n; i++) {
		const struct device_record *rec = fleet_record(pa->ctx->fleet, udids[i]);
		if (rec && (only == PAIR_UNKNOWN || rec->pairing.state == only))
			pair_auto_hotplug(pa, HOTPLUG_ATTACHED, udids[i]);
	}
	free(udids);
}

void pair_auto_set(struct pair_auto *pa, int mode, bool have_identity)
{
	bool identity_changed = have_identity != pa->have_identity;
	pa->mode = mode;
	pa->have_identity = have_identity;
	/* Another identity may supervise the phones the old one did not: try them again. A
	 * reload that keeps an identity may have replaced it (another file, another
	 * organisation): the phones the old one did not supervise get another try. */
	if (identity_changed)
		retry_phones(pa, PAIR_UNKNOWN);
	else if (have_identity)
		retry_phones(pa, PAIR_NOT_SUPERVISOR);
}

bool pair_auto_pairs(const struct pair_auto *pa)
{
	return pa->mode == AUTO_PAIR_SUPERVISED && pa->have_identity;
}

/* A phone plugged in again asks afresh: Don't Trust and refusals held until now. */
void pair_auto_hotplug(struct pair_auto *pa, enum hotplug_kind kind, const char *udid)
{
	const struct device_record *rec = fleet_record(pa->ctx->fleet, udid);
	if (kind != HOTPLUG_ATTACHED || !rec || !pair_state_unpaired(rec->pairing.state))
		return;
	struct pair_memory memory = rec->pairing;
	memory.state = PAIR_UNKNOWN;
	memory.tried_s = 0;
	fleet_set_pairing(pa->ctx->fleet, udid, &memory);
}

void pair_auto_scan_soon(struct pair_auto *pa)
{
	if (!event_pending(pa->soon, EV_TIMEOUT, NULL))
		event_active(pa->soon, EV_TIMEOUT, 0);
}

void pair_auto_free(struct pair_auto *pa)
{
	if (!pa)
		return;
	event_free(pa->timer);
	event_free(pa->soon);
	free(pa);
}
