/* SPDX-License-Identifier: ISC */
/* See group_lookup.h. One job per lookup, shared by the thread and the loop: whichever lets
 * go last frees it. The thread touches the loop (event_active) only while the job is
 * wanted, under the job's lock; the loop frees the event only after saying it is not. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "thread_start.h"
#include "control_internal.h"
#include "group_lookup.h"
#include "xmalloc.h"

struct job {
	pthread_mutex_t lock;
	int refs; /* the thread's and the loop's */
	bool wanted;
	struct event *done;
	struct group_lookup *owner;
	char name[64];
	int rc;
	gid_t gid;
};

struct group_lookup {
	struct event_base *base;
	group_lookup_done_fn done;
	void *arg;
	struct job *running;
	char next[64]; /* asked for while one ran */
	bool have_next;
};

static void job_release(struct job *job)
{
	pthread_mutex_lock(&job->lock);
	bool last = --job->refs == 0;
	pthread_mutex_unlock(&job->lock);
	if (last) {
		pthread_mutex_destroy(&job->lock);
		free(job);
	}
}

static void *resolve(void *arg)
{
	struct job *job = arg;
	int rc = control_peer_resolve_group(job->name, &job->gid);
	pthread_mutex_lock(&job->lock);
	job->rc = rc;
	if (job->wanted)
		event_active(job->done, EV_READ, 0);
	pthread_mutex_unlock(&job->lock);
	job_release(job);
	return NULL;
}

/* The loop lets go of job: the thread, if still in NSS, will not wake the loop. */
static void job_drop(struct job *job)
{
	pthread_mutex_lock(&job->lock);
	job->wanted = false;
	pthread_mutex_unlock(&job->lock);
	event_free(job->done);
	job_release(job);
}

static void job_done(evutil_socket_t fd, short what, void *arg);

static void start_now(struct group_lookup *lookup, const char *name)
{
	struct job *job = xcalloc(1, sizeof(*job));
	pthread_mutex_init(&job->lock, NULL);
	job->refs = 2;
	job->wanted = true;
	job->owner = lookup;
	snprintf(job->name, sizeof(job->name), "%s", name);
	job->done = event_new(lookup->base, -1, 0, job_done, job);
	pthread_attr_t attr;
	pthread_t thread;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = thread_start(&thread, &attr, resolve, job);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		job->refs = 1;
		job_drop(job);
		lookup->done(lookup->arg, name, false, (gid_t)-1);
		return;
	}
	lookup->running = job;
}

static void job_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct job *job = arg;
	struct group_lookup *lookup = job->owner;
	char name[64];
	snprintf(name, sizeof(name), "%s", job->name);
	bool found = job->rc == 0;
	gid_t gid = job->gid;
	lookup->running = NULL;
	job_drop(job);
	lookup->done(lookup->arg, name, found, gid);
	if (lookup->have_next && !lookup->running) {
		lookup->have_next = false;
		start_now(lookup, lookup->next);
	}
}

struct group_lookup *group_lookup_new(struct event_base *base, group_lookup_done_fn done, void *arg)
{
	struct group_lookup *lookup = xcalloc(1, sizeof(*lookup));
	lookup->base = base;
	lookup->done = done;
	lookup->arg = arg;
	return lookup;
}

void group_lookup_start(struct group_lookup *lookup, const char *name)
{
	if (lookup->running) {
		snprintf(lookup->next, sizeof(lookup->next), "%s", name);
		lookup->have_next = true;
		return;
	}
	start_now(lookup, name);
}

bool group_lookup_busy(const struct group_lookup *lookup)
{
	return lookup->running != NULL;
}

void group_lookup_free(struct group_lookup *lookup)
{
	if (!lookup)
		return;
	if (lookup->running)
		job_drop(lookup->running);
	free(lookup);
}
