/* SPDX-License-Identifier: ISC */
/* hook_spawn: one run of the alert command, off the loop's back: posix_spawn in its own
 * process group, the event's JSON on stdin, stdout to /dev/null, stderr read (bounded) on
 * the loop, a time limit that kills the whole group, and the group killed too when the command
 * ends (what it left running in the background does not outlive the run). The owner reaps: on
 * SIGCHLD it calls hook_child_poll for each child it runs (waitpid on that pid only, so other
 * children of the daemon, the probe helpers, are never reaped here). */
#ifndef BACKUPD_HOOK_SPAWN_H
#define BACKUPD_HOOK_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOOK_STDERR_MAX 2048 /* bytes of a command's stderr kept for the journal */

struct event_base;
struct hook_child;

enum hook_result {
	HOOK_RESULT_OK = 0,  /* exit 0 */
	HOOK_RESULT_FAILED,  /* exit status other than 0 */
	HOOK_RESULT_TIMEOUT, /* killed after AlertCommandTimeout */
	HOOK_RESULT_SIGNAL,  /* died of a signal we did not send */
	HOOK_RESULT_ERROR,   /* could not be started */
	HOOK_RESULT_COUNT
};

struct hook_child_result {
	enum hook_result result;
	int code; /* exit status, or the signal */
	int64_t duration_ms;
	const char *stderr_text; /* what it wrote, at most HOOK_STDERR_MAX bytes, terminated */
	bool stderr_cut; /* it wrote more: the read end was closed there (EPIPE/SIGPIPE to it) */
};

/* Runs once, on the loop, when the child has been reaped; the child is freed after it. */
typedef void (*hook_child_done_fn)(void *arg, const struct hook_child_result *result);

/* Starts path with envp, writing stdin_text to its stdin. Returns NULL with errno set when it
 * could not be started (done is not called then). */
struct hook_child *hook_child_start(struct event_base *base, const char *path, char *const envp[],
                                    const char *stdin_text, int64_t timeout_ms,
                                    hook_child_done_fn done, void *arg);

/* Reaps the child if it has ended (then done runs and the child is freed): true if so. */
bool hook_child_poll(struct hook_child *child);

/* Kills the group and waits for the child (shutdown: SIGKILL makes it short); done runs. */
void hook_child_stop(struct hook_child *child);

/* Whether path can be run as the alert command (absolute, a regular file, executable by this
 * user); why says what is wrong when not. */
bool hook_command_usable(const char *path, char *why, size_t size);

/* "ok", "failed", "timeout", "signal", "error": the metric label values. */
const char *hook_result_name(enum hook_result result);

#endif
