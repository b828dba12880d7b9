/* SPDX-License-Identifier: ISC */
/* probe_proc: one helper process and its socket, from spawn to reaping, knowing nothing of
 * jobs or the pool.
 * Only helpers we killed are reaped blindly: a helper that died by itself stays a zombie (its
 * pid cannot be reused) until its owner has seen its end with probe_proc_try_reap, so a kill
 * never hits a stranger. */
#ifndef BACKUPD_PROBE_PROC_H
#define BACKUPD_PROBE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <event2/event.h>

#include "probe_start.h"

/* A helper process; zero-initialised (with fd -1) is not running. */
struct probe_proc {
	pid_t pid; /* 0 = not running */
	int fd;
	struct event *readable; /* on fd, calls the owner's callback */
	bool reaped;            /* died by itself and already waited for */
	int exit_status;        /* from waitpid, when reaped */
	bool hello;             /* has said hello: it started (include/probe_wire.h) */
};

/* Killed helpers not yet reaped; zero-initialised is empty. */
struct probe_proc_stopped {
	pid_t *pids;
	size_t n, cap;
};

/* Spawns a helper (probe_start_spawn) whose socket calls on_readable(fd, what, arg). */
bool probe_proc_start(struct probe_proc *proc, struct probe_start *start, struct event_base *base,
                      event_callback_fn on_readable, void *arg);
/* Ends proc: SIGKILLed and kept in stopped for reaping, unless it was reaped already. */
void probe_proc_stop(struct probe_proc *proc, struct probe_proc_stopped *stopped);
/* Reaps proc if it has ended, without waiting (sets reaped and exit_status). */
bool probe_proc_try_reap(struct probe_proc *proc);
/* Sends one request without blocking; false when it did not go out whole. */
bool probe_proc_send(const struct probe_proc *proc, uint32_t op, uint32_t seq, const char *udid,
                     uint32_t timeout_ms, uint32_t flags);
/* Sends PROBE_OP_PAIR with the supervision certificate (cert_len 0: a plain Pair). */
bool probe_proc_send_pair(const struct probe_proc *proc, uint32_t seq, const char *udid,
                          uint32_t timeout_ms, const uint8_t *cert, size_t cert_len);
/* Whether a datagram of n bytes is the helper's hello; the first tells start that starting
 * works (again). */
bool probe_proc_hello(struct probe_proc *proc, struct probe_start *start, const void *bytes,
                      size_t n);
/* How proc ended, for a person (probe_start_describe_end). One that never said hello could not
 * start (a wrong binary, a crash at start-up): start backs off. */
void probe_proc_describe_end(const struct probe_proc *proc, struct probe_start *start, char *how,
                             size_t size);
/* Reaps the killed helpers that have ended (all of them, waiting, when wait_all). */
void probe_proc_reap_stopped(struct probe_proc_stopped *stopped, bool wait_all);
void probe_proc_stopped_free(struct probe_proc_stopped *stopped);

#endif
