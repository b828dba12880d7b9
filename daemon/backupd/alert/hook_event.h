/* SPDX-License-Identifier: ISC */
/* hook_event: one alert as the alert command receives it, built once from the journal entry
 * of the transition: the same fields as environment variables (BACKUPD_UDID=...) and as one
 * JSON object (a line on stdin). The list of fields is documented in conf/backupd.conf and
 * backupd(8), ALERT COMMAND. */
#ifndef BACKUPD_HOOK_EVENT_H
#define BACKUPD_HOOK_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "alert.h"

/* What the runner adds to the alert itself. */
struct hook_context {
	const char *host;         /* the host's name (BACKUPD_HOST) */
	int64_t now_unix;         /* when the event happened */
	int64_t next_repeat_unix; /* when a repeat is due if it keeps failing; 0 = never */
	uint64_t dropped_before;  /* events dropped (queue full) just before this one */
};

/* Owned copy: env strings and the JSON text belong to the event. */
struct hook_event {
	char **env; /* "BACKUPD_KEY=value", NULL-terminated */
	size_t n_env;
	char *json;      /* one object, newline-terminated */
	char label[200]; /* the entry's MESSAGE, for the journal lines about the run */
	char udid[64];
	char precondition[32];
	TAILQ_ENTRY(hook_event) link; /* in the runner's queue */
};

struct hook_event *hook_event_new(const struct alert_event *alert, const struct hook_context *ctx);
void hook_event_free(struct hook_event *event);

/* "failing", "recovered", "repeat", "forgotten". */
const char *hook_event_kind_name(enum alert_event_kind kind);

#endif
