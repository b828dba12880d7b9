/* SPDX-License-Identifier: ISC */
/* hook_queue: the alert command's bounded waiting line, and the account of what it could
 * not take. A full queue refuses the newest event (the older ones are already promised to
 * the command); the refusals are counted until someone says them. */
#ifndef BACKUPD_HOOK_QUEUE_H
#define BACKUPD_HOOK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hook_event.h"

struct hook_drops {
	uint64_t count;                /* refused since last said */
	int64_t first_unix, last_unix; /* when the first and the last were refused */
	char first_label[200];         /* what the first one was about */
};

struct hook_queue {
	TAILQ_HEAD(hook_events, hook_event) events;
	size_t length, capacity;
	uint64_t dropped_total;
	uint64_t dropped_since_accept; /* told to the next accepted event */
	struct hook_drops unsaid;
};

void hook_queue_init(struct hook_queue *queue, size_t capacity);
/* A smaller capacity keeps what already waits. */
void hook_queue_set_capacity(struct hook_queue *queue, size_t capacity);
bool hook_queue_full(const struct hook_queue *queue);
/* Counts a refused event (the caller never built it). */
void hook_queue_refuse(struct hook_queue *queue, const char *label, int64_t now_unix);
/* Takes ownership; the caller checked hook_queue_full. Resets dropped_since_accept. */
void hook_queue_push(struct hook_queue *queue, struct hook_event *event);
/* The oldest event (caller owns it), or NULL. */
struct hook_event *hook_queue_pop(struct hook_queue *queue);
/* Moves the unsaid refusals to *out; false when there are none. */
bool hook_queue_take_unsaid(struct hook_queue *queue, struct hook_drops *out);
/* Frees every waiting event, counting each as refused; returns how many. */
size_t hook_queue_clear(struct hook_queue *queue, int64_t now_unix);

#endif
