/* SPDX-License-Identifier: ISC */
/* One alert command process (see hook_spawn.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "hook_spawn.h"
#include "xmalloc.h"

struct hook_child {
	pid_t pid;
	int stderr_fd;
	struct event *stderr_event, *deadline;
	bool timed_out;
	int64_t started_ms;
	char stderr_text[HOOK_STDERR_MAX + 1];
	size_t stderr_used;
	bool stderr_cut;
	hook_child_done_fn done;
	void *arg;
};

const char *hook_result_name(enum hook_result result)
{
	static const char *const names[HOOK_RESULT_COUNT] = {
	    [HOOK_RESULT_OK] = "ok",           [HOOK_RESULT_FAILED] = "failed",
	    [HOOK_RESULT_TIMEOUT] = "timeout", [HOOK_RESULT_SIGNAL] = "signal",
	    [HOOK_RESULT_ERROR] = "error",
	};
	return (unsigned)result < HOOK_RESULT_COUNT ? names[result] : "unknown";
}

/* Past HOOK_STDERR_MAX the read end is closed: a command that floods its stderr gets EPIPE or
 * SIGPIPE instead of costing the loop a read of everything it writes. */
static void cut_stderr(struct hook_child *child)
{
	child->stderr_cut = true;
	event_del(child->stderr_event);
	close(child->stderr_fd);
	child->stderr_fd = -1;
}

bool hook_command_usable(const char *path, char *why, size_t size)
{
	struct stat st;

	if (path[0] != '/')
		snprintf(why, size, "not an absolute path");
	else if (stat(path, &st) < 0)
		snprintf(why, size, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, size, "not a regular file");
	else if (access(path, X_OK) < 0)
		snprintf(why, size, "not executable by this user: %s", strerror(errno));
	else
		return true;
	return false;
}

static void read_stderr(struct hook_child *child)
{
	while (child->stderr_fd >= 0) {
		size_t room = HOOK_STDERR_MAX - child->stderr_used;
		char probe; /* full: one more byte says whether there is more than the cap */
		char *into = room > 0 ? child->stderr_text + child->stderr_used : &probe;
		ssize_t n = read(child->stderr_fd, into, room > 0 ? room : 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN)
				event_del(child->stderr_event); /* end of the stream */
			return;
		}
		if (room == 0) {
			cut_stderr(child);
			return;
		}
		child->stderr_used += (size_t)n;
	}
}

static void stderr_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	read_stderr(arg);
}

static void deadline_passed(evutil_socket_t fd, short what, void *arg)
{
	struct hook_child *child = arg;

	(void)fd;
	(void)what;
	child->timed_out = true;
	kill(-child->pid, SIGKILL); /* the group: a shell's children too */
}

/* Signals the daemon ignores or handles stay so across exec unless reset. */
static void child_attributes(posix_spawnattr_t *attr)
{
	sigset_t none, reset;

	sigemptyset(&none);
	sigemptyset(&reset);
	sigaddset(&reset, SIGPIPE);
	sigaddset(&reset, SIGCHLD);
	sigaddset(&reset, SIGHUP);
	sigaddset(&reset, SIGTERM);
	sigaddset(&reset, SIGINT);
	posix_spawnattr_init(attr);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
	                                   POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(attr, 0);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &reset);
}

/* stdin from in_fd, stdout to /dev/null, stderr to err_fd, nothing else open. */
static void child_files(posix_spawn_file_actions_t *actions, int in_fd, int err_fd)
{
	posix_spawn_file_actions_init(actions);
	posix_spawn_file_actions_adddup2(actions, in_fd, STDIN_FILENO);
	posix_spawn_file_actions_addopen(actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(actions, err_fd, STDERR_FILENO);
	posix_spawn_file_actions_addclosefrom_np(actions, STDERR_FILENO + 1);
}

static int spawn(const char *path, char *const envp[], int in_fd, int err_fd, pid_t *pid)
{
	char *argv[] = {(char *)path, NULL};
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int rc;

	child_attributes(&attr);
	child_files(&actions, in_fd, err_fd);
	rc = posix_spawn(pid, path, &actions, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	return rc;
}

/* stdin is a socket, not a pipe, so that a command that exits without reading costs an
 * EPIPE, never a SIGPIPE. The JSON is far below the socket's buffer, so one non-blocking send
 * takes it all. */
static void feed_stdin(int fd, const char *text)
{
	ssize_t n = send(fd, text, strlen(text), MSG_NOSIGNAL | MSG_DONTWAIT);

	(void)n; /* a command that does not read its stdin loses only what it did not want */
	close(fd);
}

static void close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

struct hook_child *hook_child_start(struct event_base *base, const char *path, char *const envp[],
                                    const char *stdin_text, int64_t timeout_ms,
                                    hook_child_done_fn done, void *arg)
{
	int in[2] = {-1, -1}, err[2] = {-1, -1}, rc;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0) {
		rc = errno;
		close_pair(in);
		close_pair(err);
		errno = rc;
		return NULL;
	}
	rc = spawn(path, envp, in[0], err[1], &pid);
	close(in[0]);
	close(err[1]);
	if (rc != 0) {
		close(in[1]);
		close(err[0]);
		errno = rc;
		return NULL;
	}
	feed_stdin(in[1], stdin_text);
	struct hook_child *child = xcalloc(1, sizeof(*child));
	struct timeval limit = clock_timeval_ms(timeout_ms);
	child->pid = pid;
	child->stderr_fd = err[0];
	child->started_ms = clock_monotonic_ms();
	child->done = done;
	child->arg = arg;
	evutil_make_socket_nonblocking(err[0]);
	child->stderr_event = event_new(base, err[0], EV_READ | EV_PERSIST, stderr_readable, child);
	child->deadline = evtimer_new(base, deadline_passed, child);
	event_add(child->stderr_event, NULL);
	event_add(child->deadline, &limit);
	return child;
}

static void finish(struct hook_child *child, int status)
{
	struct hook_child_result result = {.duration_ms = clock_monotonic_ms() - child->started_ms};

	read_stderr(child); /* what it wrote before it ended is in the pipe */
	child->stderr_text[child->stderr_used] = '\0';
	result.stderr_text = child->stderr_text;
	result.stderr_cut = child->stderr_cut;
	if (WIFEXITED(status)) {
		result.code = WEXITSTATUS(status);
		result.result = result.code == 0 ? HOOK_RESULT_OK : HOOK_RESULT_FAILED;
	} else {
		result.code = WTERMSIG(status);
		result.result = child->timed_out ? HOOK_RESULT_TIMEOUT : HOOK_RESULT_SIGNAL;
	}
	event_free(child->stderr_event);
	event_free(child->deadline);
	if (child->stderr_fd >= 0)
		close(child->stderr_fd);
	child->done(child->arg, &result);
	free(child);
}

bool hook_child_poll(struct hook_child *child)
{
	int status;
	siginfo_t info = {0};

	/* Ended? Asked without reaping: while the leader is a zombie its pid, and so its group's
	 * id, cannot be reused, so killing the group hits only what the command left behind. */
	if (waitid(P_PID, (id_t)child->pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    info.si_pid != child->pid)
		return false;
	kill(-child->pid, SIGKILL); /* background grandchildren die with the run */
	if (waitpid(child->pid, &status, 0) != child->pid)
		return false;
	finish(child, status);
	return true;
}

void hook_child_stop(struct hook_child *child)
{
	int status;

	child->timed_out = true;
	kill(-child->pid, SIGKILL);
	while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR)
		;
	finish(child, status);
}
