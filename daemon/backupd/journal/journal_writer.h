/* SPDX-License-Identifier: ISC */
/* journal_writer: the path of entries to journald that cannot stall the caller. journald can
 * stop reading (busy, rotating, stopped): a blocking send would then hold the event loop
 * until the watchdog kills the daemon. Entries are serialised in journald's native protocol
 * into a bounded queue (JOURNAL_QUEUE_ENTRIES entries, JOURNAL_QUEUE_BYTES bytes) that one
 * writer thread sends; when the queue is full the entry is dropped and counted, and the first
 * entry that goes through after drops is followed by one warning saying how many and when.
 * A refused send (journald gone, its socket left) writes the entry's stderr line instead, as
 * before; a missing socket drops it silently, as libsystemd does. At exit the queue gets up to
 * a second to drain. */
#ifndef BACKUPD_JOURNAL_WRITER_H
#define BACKUPD_JOURNAL_WRITER_H

#include <stdint.h>
#include <sys/uio.h>

#define JOURNAL_QUEUE_ENTRIES 4096
#define JOURNAL_QUEUE_BYTES   (8u << 20)

/* Queues one entry: fields are "KEY=value" (values may hold newlines), line is what goes to
 * stderr if journald refuses it. Copies both. Returns 0, or -EAGAIN when it was dropped.
 * The environment variable BACKUPD_JOURNAL_QUEUE=N sets a smaller entry bound (tests). */
int journal_writer_send(const struct iovec *fields, int n_fields, const char *line);

/* Entries dropped because the queue was full, since start (backupd_journal_dropped_total). */
uint64_t journal_writer_dropped_total(void);

/* Waits up to limit_ms for the queue to drain; returns the entries still waiting. */
int journal_writer_flush(int64_t limit_ms);

#endif
