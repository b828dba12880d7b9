/* state_writer: writes the state file on its own thread, so fsync never stalls the loop.
 * Only the newest text matters: a text handed over while a write is under way replaces any
 * older one still waiting. */
#ifndef BACKUPD_STATE_WRITER_H
#define BACKUPD_STATE_WRITER_H

struct event_base;
struct state_writer;

struct state_writer *state_writer_new(struct event_base *base);
/* Takes ownership of text (malloc'ed JSON) and writes it to dir/state.json. */
void state_writer_submit(struct state_writer *writer, const char *dir, char *text);
/* Writes whatever is still waiting, then stops the thread. */
void state_writer_free(struct state_writer *writer);

#endif
