/* SPDX-License-Identifier: ISC */
/* probe_queue: jobs waiting for a probe helper; see probe_queue.h. */
#include <stdlib.h>
#include <string.h>

#include "action_names.h"
#include "clock.h"
#include "probe_queue.h"
#include "probe_reply_check.h"
#include "xmalloc.h"

/* The ops of the actions' lines in ACTION_TABLE (action_names.h). */
#define IS_OP(kind, name, action_op, done, message, id) op == action_op ||
bool probe_queue_is_action(uint32_t op)
{
	return ACTION_TABLE(IS_OP) false;
}
#undef IS_OP

void probe_queue_action_lost(const struct probe_action_job *action, const char *udid,
                             enum action_outcome outcome, const char *why)
{
	struct action_result result = {.outcome = outcome};
	strlcpy_safe(result.description, why, sizeof(result.description));
	action->done(action->arg, udid, &result);
}

void probe_queue_init(struct probe_queue *queue)
{
	TAILQ_INIT(&queue->jobs);
	queue->n = 0;
}

struct probe_job *probe_queue_push(struct probe_queue *queue, const char *udid)
{
	struct probe_job *job = xcalloc(1, sizeof(*job));
	strlcpy_safe(job->udid, udid, sizeof(job->udid));
	job->action.op = PROBE_OP_PROBE;
	job->slot = -1;
	job->queued_ms = clock_monotonic_ms();
	TAILQ_INSERT_TAIL(&queue->jobs, job, entry);
	queue->n++;
	return job;
}

void probe_queue_remove(struct probe_queue *queue, struct probe_job *job)
{
	TAILQ_REMOVE(&queue->jobs, job, entry);
	queue->n--;
	free(job);
}

struct probe_job *probe_queue_find(struct probe_queue *queue,
                                   bool (*fits)(const struct probe_job *job, void *arg), void *arg,
                                   int limit)
{
	int scanned = 0;
	struct probe_job *job;
	TAILQ_FOREACH(job, &queue->jobs, entry)
	{
		if (fits(job, arg))
			return job;
		if (++scanned >= limit)
			break;
	}
	return NULL;
}

bool probe_queue_drop_probes(struct probe_queue *queue, const char *udid)
{
	bool dropped = false;
	struct probe_job *job, *next;
	for (job = TAILQ_FIRST(&queue->jobs); job; job = next) {
		next = TAILQ_NEXT(job, entry);
		if (strcmp(job->udid, udid) == 0 && !probe_queue_is_action(job->action.op)) {
			probe_queue_remove(queue, job);
			dropped = true;
		}
	}
	return dropped;
}

void probe_queue_forget_slots(struct probe_queue *queue)
{
	struct probe_job *job;
	TAILQ_FOREACH(job, &queue->jobs, entry)
	job->slot = -1;
}

void probe_queue_clear(struct probe_queue *queue)
{
	struct probe_job *job;
	while ((job = TAILQ_FIRST(&queue->jobs)))
		probe_queue_remove(queue, job);
}
