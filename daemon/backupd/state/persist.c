/* SPDX-License-Identifier: ISC */
/* persist: scheduling the state file's writes (persist.h). */
#include <malloc.h>
#include <stdlib.h>

#include <event2/event.h>

#include "clock.h"
#include "journal.h"
#include "persist.h"
#include "state.h"
#include "state_snapshot.h"
#include "state_writer.h"
#include "xmalloc.h"

/* Changes are written to the state file at most this often. */
#define STATE_SAVE_DELAY_MS 5000

struct persist {
	struct event *save_timer;
	struct state_writer *writer;
	bool dirty;
	bool urgent; /* dirty with alert memory: save as soon as the writer can take it */
	void (*due)(void *arg);
	void *due_arg;
};

static void save_timer_fired(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct persist *persist = arg;
	persist->due(persist->due_arg);
}

static void save_soon(struct persist *persist)
{
	struct timeval now = {0, 0};
	evtimer_add(persist->save_timer, &now); /* replaces a later timeout */
}

static void writer_idle(void *arg)
{
	struct persist *persist = arg;
	if (persist->urgent)
		save_soon(persist);
}

struct persist *persist_new(struct event_base *base, void (*due)(void *arg), void *arg)
{
	struct persist *persist = xcalloc(1, sizeof(*persist));
	persist->save_timer = evtimer_new(base, save_timer_fired, persist);
	persist->writer = state_writer_new(base, writer_idle, persist);
	persist->due = due;
	persist->due_arg = arg;
	return persist;
}

void persist_free(struct persist *persist)
{
	if (!persist)
		return;
	state_writer_free(persist->writer); /* waits for the last write */
	event_free(persist->save_timer);
	free(persist);
}

void persist_mark_dirty(struct persist *persist)
{
	persist->dirty = true;
	if (!evtimer_pending(persist->save_timer, NULL)) {
		struct timeval delay = clock_timeval_ms(STATE_SAVE_DELAY_MS);
		evtimer_add(persist->save_timer, &delay);
	}
}

void persist_mark_urgent(struct persist *persist)
{
	persist_mark_dirty(persist);
	persist->urgent = true;
	if (!state_writer_busy(persist->writer))
		save_soon(persist);
}

bool persist_dirty(const struct persist *persist)
{
	return persist->dirty;
}

void persist_save(struct persist *persist, const char *dir, struct device_record *const *recs,
                  size_t n, const struct fleet_alerts *alerts, int64_t now_unix, int64_t max_age_s)
{
	state_writer_submit(persist->writer, dir,
	                    state_snapshot_take(recs, n, alerts, now_unix, max_age_s));
	persist->dirty = false;
	persist->urgent = false;
}

size_t persist_load(const char *dir, struct device_record **records, struct fleet_alerts *alerts)
{
	size_t n = 0;
	char warning[512] = "";
	*records = NULL;
	state_load(dir, records, &n, alerts, warning, sizeof(warning));
	/* The file's JSON tree is several times the records' size (25 MB of text at 10,000
	 * phones): give its pages back instead of keeping that peak resident. */
	malloc_trim(0);
	if (warning[0])
		log_warning("%s", warning);
	return n;
}
