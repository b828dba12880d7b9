/* SPDX-License-Identifier: ISC */
/* Starting probe helpers, with back-off. See probe_start.h. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "journal.h"
#include "message_ids.h"
#include "probe_start.h"
#include "xmalloc.h"

extern char **environ;

#define HELPER_FD            3
#define START_BACKOFF_MIN_MS 250
#define START_BACKOFF_MAX_MS 60000

void probe_start_init(struct probe_start *start, const char *exe)
{
	*start = (struct probe_start){.exe_fd = -1};
	if (exe) {
		strlcpy_safe(start->exe, exe, sizeof(start->exe));
		return;
	}
	/* Helpers must run the very binary the daemon runs (they share its struct layouts):
	 * after a package upgrade its path names the new one, an fd opened now does not. */
	start->exe_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (start->exe_fd < 0)
		strlcpy_safe(start->exe, "/proc/self/exe", sizeof(start->exe));
	else
		snprintf(start->exe, sizeof(start->exe), "/proc/self/fd/%d", start->exe_fd);
}

void probe_start_close(struct probe_start *start)
{
	if (start->exe_fd >= 0)
		close(start->exe_fd);
	start->exe_fd = -1;
}

/* One journal entry when helpers stop starting, one when they answer again. */
static void announce(const struct probe_start *start, bool failing)
{
	char message[400];
	if (failing)
		snprintf(message, sizeof(message),
		         "probe helpers cannot start: %s; no phone can be read, retrying with "
		         "back-off",
		         start->error);
	else
		snprintf(message, sizeof(message), "probe helpers are running again");
	struct journal_entry entry = {
	    .message_id = message_id(MSG_PROBE_HELPERS_FAILING),
	    .priority = failing ? LOG_ERR : LOG_NOTICE,
	    .message = message,
	    .state = failing ? "failing" : "ok",
	    .reason = failing ? start->error : NULL,
	};
	journal_emit(&entry);
}

static void start_failed(struct probe_start *start, const char *why)
{
	strlcpy_safe(start->error, why, sizeof(start->error));
	unsigned doublings = start->failures < 20 ? start->failures : 20;
	int64_t pause = (int64_t)START_BACKOFF_MIN_MS << doublings;
	if (pause > START_BACKOFF_MAX_MS)
		pause = START_BACKOFF_MAX_MS;
	start->next_ms = clock_monotonic_ms() + pause;
	if (start->failures++ == 0) {
		start->failing_since_unix = clock_wall_unix();
		announce(start, true);
	}
}

static int spawn_process(const struct probe_start *start, int child_fd, pid_t *pid)
{
	char fd_text[16], parent_text[16];
	snprintf(fd_text, sizeof(fd_text), "%d", HELPER_FD);
	snprintf(parent_text, sizeof(parent_text), "%d", (int)getpid());
	char exe[sizeof(start->exe)];
	strlcpy_safe(exe, start->exe, sizeof(exe));
	char *argv[] = {exe, "--probe-helper", fd_text, parent_text, NULL};
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	/* dup2 onto HELPER_FD also clears close-on-exec there; everything else stays CLOEXEC. */
	posix_spawn_file_actions_adddup2(&actions, child_fd, HELPER_FD);
	int rc = posix_spawn(pid, exe, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	return rc;
}

bool probe_start_spawn(struct probe_start *start, pid_t *pid, int *fd)
{
	if (probe_start_wait_ms(start) > 0)
		return false;
	start->attempts++;
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) {
		start_failed(start, "no socket for a probe helper");
		return false;
	}
	/* The child's end must not already be HELPER_FD, or dup2 would keep its CLOEXEC flag. */
	if (fds[1] == HELPER_FD) {
		int moved = fcntl(fds[1], F_DUPFD_CLOEXEC, HELPER_FD + 1);
		close(fds[1]);
		fds[1] = moved;
	}
	int rc = fds[1] < 0 ? errno : spawn_process(start, fds[1], pid);
	if (fds[1] >= 0)
		close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		char why[sizeof(start->error)];
		snprintf(why, sizeof(why), "%.100s: %s", start->exe, strerror(rc));
		start_failed(start, why);
		return false;
	}
	*fd = fds[0];
	return true;
}

void probe_start_describe_end(bool reaped, int status, char *out, size_t size)
{
	if (reaped && WIFEXITED(status))
		snprintf(out, size, "exited with status %d", WEXITSTATUS(status));
	else if (reaped && WIFSIGNALED(status))
		snprintf(out, size, "was killed by signal %d (%s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else
		snprintf(out, size, "ended (cause unknown: not reaped in time)");
}

void probe_start_died_early(struct probe_start *start, const char *how)
{
	char why[sizeof(start->error)];
	snprintf(why, sizeof(why), "%.100s %s before it started", start->exe, how);
	start_failed(start, why);
}

void probe_start_answered(struct probe_start *start)
{
	if (start->failures == 0)
		return;
	start->failures = 0;
	start->next_ms = 0;
	announce(start, false);
}

int64_t probe_start_wait_ms(const struct probe_start *start)
{
	int64_t wait = start->next_ms - clock_monotonic_ms();
	return wait > 0 ? wait : 0;
}

void probe_start_health(const struct probe_start *start, struct probe_start_health *out)
{
	*out = (struct probe_start_health){
	    .failing = start->failures > 0,
	    .failures = start->failures,
	    .spawn_attempts = start->attempts,
	};
	if (out->failing) {
		out->since_unix = start->failing_since_unix;
		out->retry_in_ms = probe_start_wait_ms(start);
		strlcpy_safe(out->reason, start->error, sizeof(out->reason));
	}
}
