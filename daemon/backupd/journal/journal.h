/* SPDX-License-Identifier: ISC */
/* Where backupd's words go: structured entries to journald (sd_journal_sendv), or readable
 * lines on stderr when there is no journal (run by hand in a terminal). Every module logs
 * through here. */
#ifndef BACKUPD_JOURNAL_H
#define BACKUPD_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h> /* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG */

#define JOURNAL_EXTRA_MAX 6

/* One structured entry. Every pointer may be NULL (or "") and the field is then omitted;
 * SYSLOG_IDENTIFIER=backupd is always added. */
struct journal_entry {
	const char *message_id; /* 32 hex digits, from message_ids.h */
	int priority;           /* LOG_* */
	const char *message;    /* one line a person reads */
	const char *device_udid;
	const char *device_name;
	const char *product_type;
	const char *ios_version;
	const char *precondition;
	const char *state;
	const char *reason;
	/* further "KEY=value" fields (fleet-wide entries: STATUS_TYPE=..., SINCE=...) */
	const char *extra[JOURNAL_EXTRA_MAX];
};

enum journal_target {
	JOURNAL_TARGET_AUTO = 0, /* decide on first use, see journal_target() */
	JOURNAL_TARGET_JOURNAL,
	JOURNAL_TARGET_STDERR,
	JOURNAL_TARGET_BOTH,
};

/* Forces a target (tests, --stderr options); AUTO re-decides at the next entry.
 * The environment variable BACKUPD_LOG_TARGET=journal|stderr|both|auto does the same. */
void journal_set_target(enum journal_target target);

/* The target in use. AUTO resolves, once, to:
 *   JOURNAL when JOURNAL_STREAM names our stderr (started by systemd: stderr is the journal);
 *   STDERR  when /run/systemd/journal/socket does not accept a connection (no journald);
 *   BOTH    when journald is there and stderr is a terminal (run by hand on a systemd box);
 *   JOURNAL otherwise. */
enum journal_target journal_target(void);

/* Writes one entry to the target without ever waiting for journald (journal_writer.h): a
 * refused journal write (journald gone) falls back to stderr for that entry. Returns 0, or
 * -EAGAIN when journald was not keeping up and the entry was dropped (counted, and said once
 * the journal takes entries again). */
int journal_emit(const struct journal_entry *entry);

/* Entries dropped so far because journald did not keep up (backupd_journal_dropped_total). */
uint64_t journal_dropped_total(void);

/* "error", "warning", "notice", "info", ... for LOG_* values. */
const char *journal_priority_word(int priority);

/* Formats entry as its stderr line ("backupd: warning: MESSAGE [udid=.. precondition=..
 * state=..]", no newline) into buf; returns buf. */
char *journal_format_line(const struct journal_entry *entry, char *buf, size_t size);

/* Plain daemon log lines (no MESSAGE_ID), same targets. */
void log_priority(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...)   log_priority(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_priority(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  log_priority(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    log_priority(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   log_priority(LOG_DEBUG, __VA_ARGS__)

#endif
