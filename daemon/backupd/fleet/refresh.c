/* SPDX-License-Identifier: ISC */
/* refresh: waits for fresh probes, for the control verb (refresh.h). */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "clock.h"
#include "facts.h"
#include "refresh.h"
#include "xmalloc.h"

struct refresh_wait {
	struct refresh_wait *next;
	struct refresh_set *set;
	char (*udids)[UDID_MAX];
	bool *done;
	bool *skip_one; /* a probe already running at the request predates it: wait for the next */
	size_t n, remaining;
	int skipped; /* named devices that are unknown or detached */
	refresh_done_fn callback;
	void *arg;
	struct event *limit;
};

struct refresh_set {
	struct event_base *base;
	struct refresh_wait *waits;
};

struct refresh_set *refresh_set_new(struct event_base *base)
{
	struct refresh_set *set = xcalloc(1, sizeof(*set));
	set->base = base;
	return set;
}

static void refresh_finish(struct refresh_wait *wait, int timed_out)
{
	struct refresh_wait **link = &wait->set->waits;
	while (*link && *link != wait)
		link = &(*link)->next;
	if (*link)
		*link = wait->next;
	int refreshed = (int)(wait->n - wait->remaining);
	if (wait->callback)
		wait->callback(wait->arg, refreshed, timed_out + wait->skipped);
	event_free(wait->limit);
	free(wait->udids);
	free(wait->done);
	free(wait->skip_one);
	free(wait);
}

void refresh_set_free(struct refresh_set *set)
{
	if (!set)
		return;
	while (set->waits)
		refresh_finish(set->waits, (int)set->waits->remaining);
	free(set);
}

static void refresh_timed_out(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct refresh_wait *wait = arg;
	refresh_finish(wait, (int)wait->remaining);
}

void refresh_wait_start(struct refresh_set *set, const char *const *udids, const bool *running,
                        size_t n, int skipped, int64_t limit_ms, refresh_done_fn done, void *arg)
{
	struct refresh_wait *wait = xcalloc(1, sizeof(*wait));
	wait->set = set;
	wait->callback = done;
	wait->arg = arg;
	wait->skipped = skipped;
	wait->udids = xcalloc(n ? n : 1, sizeof(*wait->udids));
	wait->done = xcalloc(n ? n : 1, sizeof(*wait->done));
	wait->skip_one = xcalloc(n ? n : 1, sizeof(*wait->skip_one));
	for (size_t i = 0; i < n; i++) {
		strlcpy_safe(wait->udids[i], udids[i], UDID_MAX);
		wait->skip_one[i] = running[i];
	}
	wait->n = wait->remaining = n;
	wait->limit = evtimer_new(set->base, refresh_timed_out, wait);
	struct timeval limit = clock_timeval_ms(limit_ms);
	evtimer_add(wait->limit, &limit);
	wait->next = set->waits;
	set->waits = wait;
	if (wait->remaining == 0)
		refresh_finish(wait, 0);
}

void refresh_note_probe(struct refresh_set *set, const char *udid)
{
	struct refresh_wait *wait = set->waits;
	while (wait) {
		struct refresh_wait *next = wait->next;
		for (size_t i = 0; i < wait->n; i++) {
			if (wait->done[i] || strcmp(wait->udids[i], udid) != 0)
				continue;
			if (wait->skip_one[i]) {
				wait->skip_one[i] = false;
				continue;
			}
			wait->done[i] = true;
			wait->remaining--;
		}
		if (wait->remaining == 0)
			refresh_finish(wait, 0);
		wait = next;
	}
}

void refresh_note_cancelled(struct refresh_set *set, const char *udid)
{
	for (struct refresh_wait *wait = set->waits; wait; wait = wait->next)
		for (size_t i = 0; i < wait->n; i++)
			if (!wait->done[i] && strcmp(wait->udids[i], udid) == 0)
				wait->skip_one[i] = false;
}
