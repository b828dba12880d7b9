/* SPDX-License-Identifier: ISC */
/* slot_lookup: one thread, a bounded queue of UDIDs in, a list of answers out (event_active
 * wakes the loop, as state_writer does). At shutdown the thread is waited for a moment only:
 * one stuck in a read of SysfsRoot (a FUSE or network mount) is left behind, holding its
 * struct, and never touches the loop again. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "thread_start.h"
#include "journal.h"
#include "slot_lookup.h"
#include "xmalloc.h"

#define QUEUE_MAX    1024
#define STOP_WAIT_MS 1000 /* how long shutdown waits for a lookup under way */

struct lookup_item {
	char udid[UDID_MAX];
	uint32_t generation;
	bool found;
	struct slot_port port;
};

struct slot_lookup {
	pthread_t thread;
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t wake;
	pthread_cond_t stopped; /* the thread is at its end (finished): CLOCK_MONOTONIC */
	bool finished;
	char root[4096];
	struct lookup_item queue[QUEUE_MAX];
	size_t head, n_queued; /* a ring */
	struct lookup_item *answers;
	size_t n_answers, cap_answers;
	bool stopping;
	struct event *deliver;
	slot_lookup_done_fn done;
	void *done_arg;
};

static void answer(struct slot_lookup *l, const struct lookup_item *item)
{
	if (l->n_answers == l->cap_answers) {
		l->cap_answers = l->cap_answers ? l->cap_answers * 2 : 16;
		l->answers = xreallocarray(l->answers, l->cap_answers, sizeof(*l->answers));
	}
	l->answers[l->n_answers++] = *item;
	event_active(l->deliver, EV_READ, 0);
}

/* Takes every queued lookup and answers them all from one pass over the tree: a cart of
 * phones attaching at once costs one directory scan, not one per phone. */
static void *lookup_loop(void *arg)
{
	struct slot_lookup *l = arg;
	struct lookup_item *batch = xcalloc(QUEUE_MAX, sizeof(*batch));
	struct slot_query *queries = xcalloc(QUEUE_MAX, sizeof(*queries));
	pthread_mutex_lock(&l->lock);
	for (;;) {
		while (!l->n_queued && !l->stopping)
			pthread_cond_wait(&l->wake, &l->lock);
		if (l->stopping)
			break;
		size_t n = l->n_queued;
		for (size_t i = 0; i < n; i++)
			batch[i] = l->queue[(l->head + i) % QUEUE_MAX];
		l->head = (l->head + n) % QUEUE_MAX;
		l->n_queued = 0;
		char root[sizeof(l->root)];
		strlcpy_safe(root, l->root, sizeof(root));
		pthread_mutex_unlock(&l->lock);
		memset(queries, 0, n * sizeof(*queries));
		for (size_t i = 0; i < n; i++)
			queries[i].udid = batch[i].udid;
		if (root[0])
			slot_sysfs_find(root, queries, n);
		pthread_mutex_lock(&l->lock);
		if (l->stopping) /* the loop may be gone: answer nothing */
			break;
		for (size_t i = 0; i < n; i++) {
			batch[i].found = queries[i].found;
			batch[i].port = queries[i].port;
			answer(l, &batch[i]);
		}
	}
	l->finished = true;
	pthread_cond_signal(&l->stopped);
	pthread_mutex_unlock(&l->lock);
	free(batch);
	free(queries);
	return NULL;
}

static void deliver_answers(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct slot_lookup *l = arg;
	pthread_mutex_lock(&l->lock);
	struct lookup_item *answers = l->answers;
	size_t n = l->n_answers;
	l->answers = NULL;
	l->n_answers = l->cap_answers = 0;
	pthread_mutex_unlock(&l->lock);
	for (size_t i = 0; i < n; i++)
		l->done(l->done_arg, answers[i].udid, answers[i].generation, answers[i].found,
		        &answers[i].port);
	free(answers);
}

struct slot_lookup *slot_lookup_new(struct event_base *base, slot_lookup_done_fn done, void *arg)
{
	struct slot_lookup *l = xcalloc(1, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->wake, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&l->stopped, &attr);
	pthread_condattr_destroy(&attr);
	l->deliver = event_new(base, -1, 0, deliver_answers, l);
	l->done = done;
	l->done_arg = arg;
	if (thread_start(&l->thread, NULL, lookup_loop, l) != 0)
		abort(); /* as xmalloc: no thread, no daemon */
	return l;
}

void slot_lookup_set_root(struct slot_lookup *l, const char *root)
{
	pthread_mutex_lock(&l->lock);
	strlcpy_safe(l->root, root, sizeof(l->root));
	pthread_mutex_unlock(&l->lock);
}

void slot_lookup_submit(struct slot_lookup *l, const char *udid, uint32_t generation)
{
	pthread_mutex_lock(&l->lock);
	if (l->n_queued < QUEUE_MAX) {
		struct lookup_item *item = &l->queue[(l->head + l->n_queued++) % QUEUE_MAX];
		memset(item, 0, sizeof(*item));
		strlcpy_safe(item->udid, udid, sizeof(item->udid));
		item->generation = generation;
		pthread_cond_signal(&l->wake);
	}
	pthread_mutex_unlock(&l->lock);
}

void slot_lookup_free(struct slot_lookup *l)
{
	if (!l)
		return;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += STOP_WAIT_MS / 1000;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_cond_signal(&l->wake);
	int rc = 0;
	while (!l->finished && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&l->stopped, &l->lock, &deadline);
	bool finished = l->finished;
	pthread_mutex_unlock(&l->lock);
	event_free(l->deliver); /* the thread answers nothing once stopping */
	if (!finished) {
		log_warning("slot lookup: a read under SysfsRoot has not returned in %d ms; "
		            "not waiting for it",
		            STOP_WAIT_MS);
		pthread_detach(l->thread); /* it keeps l: the process is ending */
		return;
	}
	pthread_join(l->thread, NULL);
	free(l->answers);
	pthread_cond_destroy(&l->wake);
	pthread_cond_destroy(&l->stopped);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
