/* SPDX-License-Identifier: ISC */
/* state_writer: builds and writes the state file on its own thread, so neither the JSON of
 * thousands of records nor fsync stalls the loop. Only the newest snapshot matters: one
 * handed over while a write is under way replaces any older one still waiting. */
#ifndef BACKUPD_STATE_WRITER_H
#define BACKUPD_STATE_WRITER_H

struct event_base;
struct state_snapshot;
struct state_writer;

struct state_writer *state_writer_new(struct event_base *base);
/* Takes ownership of snapshot (state_snapshot.h) and writes it to dir/state.json. */
void state_writer_submit(struct state_writer *writer, const char *dir,
                         struct state_snapshot *snapshot);
/* Writes whatever is still waiting, then stops the thread. */
void state_writer_free(struct state_writer *writer);

#endif
