/* SPDX-License-Identifier: ISC */
/* ioscat_worker: one thread, one waiting job, one result slot (ioscat_worker.h). */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "clock.h"
#include "thread_start.h"
#include "ioscat_cache.h"
#include "ioscat_parse.h"
#include "ioscat_worker.h"

struct job {
	uint64_t tag;
	char *body;
	size_t len;
	char cache_dir[256];
	char url[512];
};

struct ioscat_worker {
	pthread_t thread;
	pthread_mutex_t lock; /* guards everything below but the event */
	pthread_cond_t wake;
	struct job pending;         /* body NULL: none */
	struct ioscat_parsed *done; /* the newest result the loop has not taken */
	bool stopping;
	struct event *report;
	ioscat_parsed_fn done_fn;
	void *done_arg;
};

static struct ioscat_parsed *run_job(const struct job *job)
{
	struct ioscat_parsed *result = calloc(1, sizeof(*result));
	int64_t start = clock_monotonic_ms();

	if (!result)
		return NULL;
	result->tag = job->tag;
	result->catalog = ioscat_parse(job->body, job->len, result->error, sizeof(result->error));
	result->parse_ms = clock_monotonic_ms() - start;
	if (result->catalog && job->cache_dir[0])
		ioscat_cache_write(job->cache_dir, job->url, job->body, job->len,
		                   result->cache_error, sizeof(result->cache_error));
	return result;
}

static void drop(struct ioscat_parsed *result)
{
	if (result)
		ios_catalog_free(result->catalog);
	free(result);
}

/* Only the newest result matters: one the loop has not taken yet is dropped. */
static void post(struct ioscat_worker *w, struct ioscat_parsed *result)
{
	drop(w->done);
	w->done = result;
	event_active(w->report, EV_READ, 0);
}

static void *work(void *arg)
{
	struct ioscat_worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->pending.body && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping)
			break;
		struct job job = w->pending;
		w->pending.body = NULL;
		pthread_mutex_unlock(&w->lock);
		struct ioscat_parsed *result = run_job(&job);
		free(job.body);
		malloc_trim(0); /* the JSON tree was many small blocks: give the pages back */
		pthread_mutex_lock(&w->lock);
		if (result)
			post(w, result);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void take_results(evutil_socket_t fd, short what, void *arg)
{
	struct ioscat_worker *w = arg;
	struct ioscat_parsed *result;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&w->lock);
	result = w->done;
	w->done = NULL;
	pthread_mutex_unlock(&w->lock);
	if (result)
		w->done_fn(w->done_arg, result);
	free(result);
}

struct ioscat_worker *ioscat_worker_new(struct event_base *base, ioscat_parsed_fn done, void *arg)
{
	struct ioscat_worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->done_fn = done;
	w->done_arg = arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (!(w->report = event_new(base, -1, 0, take_results, w)) ||
	    thread_start(&w->thread, NULL, work, w) != 0) {
		if (w->report)
			event_free(w->report);
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void ioscat_worker_submit(struct ioscat_worker *w, uint64_t tag, char *body, size_t len,
                          const char *cache_dir, const char *url)
{
	pthread_mutex_lock(&w->lock);
	free(w->pending.body);
	w->pending.tag = tag;
	w->pending.body = body;
	w->pending.len = len;
	snprintf(w->pending.cache_dir, sizeof(w->pending.cache_dir), "%s", cache_dir);
	snprintf(w->pending.url, sizeof(w->pending.url), "%s", url);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void ioscat_worker_free(struct ioscat_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	free(w->pending.body);
	drop(w->done);
	event_free(w->report);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
