/* SPDX-License-Identifier: ISC */
/* The alert command's queue (see hook_queue.h). */
#include <stdio.h>
#include <string.h>

#include "hook_queue.h"

void hook_queue_init(struct hook_queue *queue, size_t capacity)
{
	memset(queue, 0, sizeof(*queue));
	TAILQ_INIT(&queue->events);
	queue->capacity = capacity;
}

void hook_queue_set_capacity(struct hook_queue *queue, size_t capacity)
{
	queue->capacity = capacity;
}

bool hook_queue_full(const struct hook_queue *queue)
{
	return queue->length >= queue->capacity;
}

void hook_queue_refuse(struct hook_queue *queue, const char *label, int64_t now_unix)
{
	struct hook_drops *drops = &queue->unsaid;

	if (drops->count++ == 0) {
		drops->first_unix = now_unix;
		snprintf(drops->first_label, sizeof(drops->first_label), "%s", label ? label : "");
	}
	drops->last_unix = now_unix;
	queue->dropped_total++;
	queue->dropped_since_accept++;
}

void hook_queue_push(struct hook_queue *queue, struct hook_event *event)
{
	TAILQ_INSERT_TAIL(&queue->events, event, link);
	queue->length++;
	queue->dropped_since_accept = 0;
}

struct hook_event *hook_queue_pop(struct hook_queue *queue)
{
	struct hook_event *event = TAILQ_FIRST(&queue->events);

	if (event) {
		TAILQ_REMOVE(&queue->events, event, link);
		queue->length--;
	}
	return event;
}

bool hook_queue_take_unsaid(struct hook_queue *queue, struct hook_drops *out)
{
	if (queue->unsaid.count == 0)
		return false;
	*out = queue->unsaid;
	memset(&queue->unsaid, 0, sizeof(queue->unsaid));
	return true;
}

size_t hook_queue_clear(struct hook_queue *queue, int64_t now_unix)
{
	struct hook_event *event;
	size_t n = 0;

	while ((event = hook_queue_pop(queue))) {
		hook_queue_refuse(queue, event->label, now_unix);
		hook_event_free(event);
		n++;
	}
	return n;
}
