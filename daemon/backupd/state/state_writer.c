/* SPDX-License-Identifier: ISC */
/* state_writer: one thread, one pending snapshot, errors reported back on the loop. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include <event2/event.h>

#include "thread_start.h"
#include "journal.h"
#include "state.h"
#include "state_snapshot.h"
#include "state_writer.h"
#include "xmalloc.h"

struct state_writer {
	pthread_t thread;
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t wake;
	char dir[4096];
	struct state_snapshot *pending;
	bool stopping;
	bool outcome_ready; /* a write finished since the loop last looked */
	bool writing;       /* the thread holds a snapshot it has not written yet */
	char error[512];    /* its failure, "" if it worked */
	struct event *report;
	/* loop side only: a full or read-only StateDirectory fails every save; say so once, and
	 * say when saving works again */
	bool failing;
	unsigned failed_saves;
	bool busy; /* loop side: submitted and not yet reported written */
	void (*idle)(void *arg);
	void *idle_arg;
};

static void *write_loop(void *arg)
{
	struct state_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->pending && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->pending)
			break;
		struct state_snapshot *snapshot = w->pending;
		char dir[sizeof(w->dir)];
		strlcpy_safe(dir, w->dir, sizeof(dir));
		w->pending = NULL;
		w->writing = true;
		pthread_mutex_unlock(&w->lock);
		char err[512] = "could not serialise the state (out of memory)";
		char *text = state_snapshot_serialize(snapshot);
		state_snapshot_free(snapshot);
		int rc = text ? state_write(dir, text, err, sizeof(err)) : -1;
		free(text);
		/* The JSON tree was many small blocks: give the freed pages back rather than keep
		 * the peak of every save resident. */
		malloc_trim(0);
		pthread_mutex_lock(&w->lock);
		strlcpy_safe(w->error, rc < 0 ? err : "", sizeof(w->error));
		w->outcome_ready = true;
		w->writing = false;
		event_active(w->report, EV_READ, 0);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void report_error(struct state_writer *w, const char *error)
{
	if (error[0] && !w->failing) {
		log_warning(
		    "could not write the state file: %s (retried at each change; said again "
		    "only when saving works again)",
		    error);
		w->failing = true;
		w->failed_saves = 1;
	} else if (error[0]) {
		w->failed_saves++;
	} else if (w->failing) {
		log_info("the state file is written again (after %u failed save%s)",
		         w->failed_saves, w->failed_saves == 1 ? "" : "s");
		w->failing = false;
	}
}

/* Takes the thread's news on the loop; tell_idle: whether the owner hears that all is
 * written (not while it frees the writer). */
static void take_outcome(struct state_writer *w, bool tell_idle)
{
	char error[sizeof(w->error)];
	pthread_mutex_lock(&w->lock);
	bool ready = w->outcome_ready, idle = !w->pending && !w->writing;
	strlcpy_safe(error, w->error, sizeof(error));
	w->outcome_ready = false;
	pthread_mutex_unlock(&w->lock);
	if (!ready)
		return;
	report_error(w, error);
	if (idle) {
		w->busy = false;
		if (w->idle && tell_idle)
			w->idle(w->idle_arg);
	}
}

static void report_outcome(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	take_outcome(arg, true);
}

struct state_writer *state_writer_new(struct event_base *base, void (*idle)(void *arg),
                                      void *idle_arg)
{
	struct state_writer *w = xcalloc(1, sizeof(*w));
	w->idle = idle;
	w->idle_arg = idle_arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->report = event_new(base, -1, 0, report_outcome, w);
	if (thread_start(&w->thread, NULL, write_loop, w) != 0) {
		log_error("cannot start the state writer thread; state will not be saved");
		w->stopping = true;
	}
	return w;
}

void state_writer_submit(struct state_writer *w, const char *dir, struct state_snapshot *snapshot)
{
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		state_snapshot_free(snapshot);
		return;
	}
	state_snapshot_free(w->pending);
	w->pending = snapshot;
	w->busy = true;
	strlcpy_safe(w->dir, dir, sizeof(w->dir));
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

bool state_writer_busy(const struct state_writer *w)
{
	return w->busy;
}

void state_writer_free(struct state_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	bool running = !w->stopping;
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	if (running)
		pthread_join(w->thread, NULL);
	take_outcome(w, false);
	state_snapshot_free(w->pending);
	event_free(w->report);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
