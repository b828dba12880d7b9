/* SPDX-License-Identifier: ISC */
/* probe_start: how the probe pool starts its helper processes (which executable, the spawn)
 * and what it does when they cannot start: one journal entry with the reason, a health
 * summary for the status, and retries after a pause that doubles up to a minute, instead of a
 * respawn every 250 ms without a word. */
#ifndef BACKUPD_PROBE_START_H
#define BACKUPD_PROBE_START_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* failing: helpers cannot start or die at once (reason says why), so nothing can be probed. */
struct probe_start_health {
	bool failing;
	unsigned failures;            /* start failures in a row */
	int64_t since_unix;           /* when the first of them happened */
	int64_t retry_in_ms;          /* until the next start attempt */
	unsigned long spawn_attempts; /* since the pool was made */
	char reason[160];
};

struct probe_start {
	char exe[4096];
	int exe_fd; /* the daemon's own binary, held open so an upgrade on disk cannot swap it */
	unsigned failures; /* in a row */
	int64_t next_ms;   /* no start before this (monotonic) */
	int64_t failing_since_unix;
	unsigned long attempts;
	char error[160];
};

/* exe NULL: the daemon's own binary. */
void probe_start_init(struct probe_start *start, const char *exe);
void probe_start_close(struct probe_start *start);

/* Starts "EXE --probe-helper 3 PARENT" on a new socketpair unless backing off; *fd is the
 * daemon's end. false when it did not start (a failure is recorded and announced). */
bool probe_start_spawn(struct probe_start *start, pid_t *pid, int *fd);
/* How a helper ended, for a reason a person reads: its exit status or signal when it was
 * reaped (status from waitpid), else that the cause is unknown. */
void probe_start_describe_end(bool reaped, int status, char *out, size_t size);
/* A helper ended before its hello (include/probe_wire.h), as how says: it could not start. */
void probe_start_died_early(struct probe_start *start, const char *how);
/* A helper said hello: starting works (again). */
void probe_start_answered(struct probe_start *start);
/* Milliseconds until the next start may be tried (0 = now). */
int64_t probe_start_wait_ms(const struct probe_start *start);
void probe_start_health(const struct probe_start *start, struct probe_start_health *out);

#endif
