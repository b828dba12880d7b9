/* SPDX-License-Identifier: ISC */
/* state_writer: builds and writes the state file on its own thread, so neither the JSON of
 * thousands of records nor fsync stalls the loop. Only the newest snapshot matters: one
 * handed over while a write is under way replaces any older one still waiting. */
#ifndef BACKUPD_STATE_WRITER_H
#define BACKUPD_STATE_WRITER_H

#include <stdbool.h>

struct event_base;
struct state_snapshot;
struct state_writer;

/* idle (may be NULL) runs on the loop each time the writer has written everything it was
 * handed, so the owner can pace its saves to the writer's speed. */
struct state_writer *state_writer_new(struct event_base *base, void (*idle)(void *arg),
                                      void *idle_arg);
/* Whether a snapshot handed over has not been written yet (on the loop). */
bool state_writer_busy(const struct state_writer *writer);
/* Takes ownership of snapshot (state_snapshot.h) and writes it to dir/state.json. */
void state_writer_submit(struct state_writer *writer, const char *dir,
                         struct state_snapshot *snapshot);
/* Writes whatever is still waiting, then stops the thread. */
void state_writer_free(struct state_writer *writer);

#endif
