/* SPDX-License-Identifier: ISC */
/* probe_queue: the probes and actions waiting for a helper, in order of arrival. Knows nothing
 * of helpers: which job a helper may take is the caller's question (probe_queue_find). */
#ifndef BACKUPD_PROBE_QUEUE_H
#define BACKUPD_PROBE_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "facts.h"
#include "probe_done.h"
#include "probe_wire.h"

/* What an action job carries besides its device: op and whom to tell. */
struct probe_action_job {
	uint32_t op; /* PROBE_OP_PROBE for a probe */
	probe_action_fn done;
	void *arg;
};

struct probe_job {
	TAILQ_ENTRY(probe_job) entry;
	char udid[UDID_MAX];
	struct probe_action_job action;
	int slot;          /* the ordinary slot holding its session, -1 = none */
	bool quarantined;  /* runs on quarantine slots only */
	int64_t queued_ms; /* clock_monotonic_ms at push, for BACKUPD_TRACE */
};

struct probe_queue {
	TAILQ_HEAD(probe_job_list, probe_job) jobs;
	int n;
};

bool probe_queue_is_action(uint32_t op);
/* Tells the caller of an action that it ended without the helper's answer. */
void probe_queue_action_lost(const struct probe_action_job *action, const char *udid,
                             enum action_outcome outcome, const char *why);
void probe_queue_init(struct probe_queue *queue);
/* Appends a job for udid (a probe, no slot); the caller fills in the rest. */
struct probe_job *probe_queue_push(struct probe_queue *queue, const char *udid);
/* Takes job out of the queue and frees it. */
void probe_queue_remove(struct probe_queue *queue, struct probe_job *job);
/* The first of the first limit jobs that fits says true of, or NULL. */
struct probe_job *probe_queue_find(struct probe_queue *queue,
                                   bool (*fits)(const struct probe_job *job, void *arg), void *arg,
                                   int limit);
/* Drops the queued probes (not actions) of udid; true when there was one. */
bool probe_queue_drop_probes(struct probe_queue *queue, const char *udid);
/* Every job's slot is forgotten (the slot layout changed). */
void probe_queue_forget_slots(struct probe_queue *queue);
/* Frees every job, with no callback. */
void probe_queue_clear(struct probe_queue *queue);

#endif
