/* SPDX-License-Identifier: ISC */
/* hotplug_watch: the usbmuxd watcher process. libusbmuxd's event thread calls back here and
 * each event becomes one datagram to the daemon. The main thread sleeps until usbmuxd hangs
 * up, then the process exits before libusbmuxd can reconnect and leave the old socket behind;
 * the daemon starts a fresh watcher. While usbmuxd is there it sleeps without a timeout and
 * wakes only for events, so an idle host costs no wake-ups (tests/bench/run.sh counts them).
 *
 * libusbmuxd (2.0.2, and its master at 93eb168, 2025-09) reads each event's 16-byte header with
 * one recv(). usbmuxd writes the Listen backlog in whatever pieces the socket takes, so with
 * some hundreds of phones a header can arrive split; the short read puts the stream out of
 * step, the library waits 5 s for a payload that never comes, reports every phone removed and
 * opens a new connection without closing the old one. The watcher then moves to the new
 * connection and closes the old one, which usbmuxd would otherwise keep filling. The 5 s and
 * the removals are libusbmuxd's: BACKUPD_TRACE shows its own error lines
 * (tests/bench/recovery_summary.sh counts them; the simulator's `usbmuxd split-next` makes
 * it happen). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <usbmuxd.h>

#include "hotplug.h"
#include "hotplug_wire.h"
#include "trace_env.h"
#include "xmalloc.h"

#define SCAN_EVERY_MS 100
#define SCAN_TRIES    10 /* a connection appears within a second of subscribing */
#define SLOW_SCAN_MS  1000
/* usbmuxd's directory changed but it does not answer yet (it may chmod before listen) */
#define RECHECK_MS    20
#define RECHECK_TRIES 10
#define FD_SCAN_MAX   128 /* the watcher holds a handful; libusbmuxd's socket is among them */

static int wire_fd = -1;
static int wake[2] = {-1, -1}; /* each event: has libusbmuxd reconnected? */
/* Descriptors open before libusbmuxd's first: the wire, the wake pipe, and stdio, which under
 * systemd is a socket to journald that would otherwise pass for usbmuxd's. */
static bool before_libusbmuxd[FD_SCAN_MAX];

static void forward(const usbmuxd_event_t *event, void *arg)
{
	(void)arg;
	if (write(wake[1], "", 1) < 0) {
		/* full: a wake-up is pending already */
	}
	/* Network-connected devices would duplicate USB ones; a cart is USB. */
	if (event->device.conn_type != CONNECTION_TYPE_USB)
		return;
	struct hotplug_wire_event msg = {.magic = HOTPLUG_WIRE_MAGIC};
	switch (event->event) {
	case UE_DEVICE_ADD:
		msg.kind = HOTPLUG_WIRE_ATTACHED;
		break;
	case UE_DEVICE_REMOVE:
		msg.kind = HOTPLUG_WIRE_DETACHED;
		break;
	case UE_DEVICE_PAIRED:
		msg.kind = HOTPLUG_WIRE_PAIRED;
		break;
	default:
		return;
	}
	strncpy(msg.udid, event->device.udid, sizeof(msg.udid) - 1);
	ssize_t n;
	do
		n = send(wire_fd, &msg, sizeof(msg), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(msg))
		_exit(0); /* the daemon is gone */
}

static void trace(const char *what, int fd, unsigned revents)
{
	if (trace_env_on())
		fprintf(stderr, "backupd-trace usbmuxd %s fd=%d revents=%#x\n", what, fd, revents);
}

static void note_fds_before_libusbmuxd(void)
{
	for (int fd = 0; fd < FD_SCAN_MAX; fd++)
		before_libusbmuxd[fd] = fcntl(fd, F_GETFD) != -1;
}

/* A stream socket opened since libusbmuxd started, with a named UNIX peer or an IP peer:
 * libusbmuxd's connection to usbmuxd (a resolver's socket is a datagram one). */
static bool is_usbmuxd_connection(int fd)
{
	struct stat st;
	int type = 0;
	socklen_t type_len = sizeof(type);
	if (before_libusbmuxd[fd] || fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0 || type != SOCK_STREAM)
		return false;
	struct sockaddr_storage peer = {0};
	socklen_t len = sizeof(peer);
	if (getpeername(fd, (struct sockaddr *)&peer, &len) != 0)
		return false;
	if (peer.ss_family == AF_UNIX)
		return len > offsetof(struct sockaddr_un, sun_path) &&
		       ((struct sockaddr_un *)&peer)->sun_path[0] != '\0';
	return peer.ss_family == AF_INET || peer.ss_family == AF_INET6;
}

/* libusbmuxd's connection to usbmuxd other than `known` (-1: any), or -1. */
static int usbmuxd_connection(int known)
{
	for (int fd = 0; fd < FD_SCAN_MAX; fd++)
		if (fd != known && is_usbmuxd_connection(fd))
			return fd;
	return -1;
}

/* Waits up to ms (-1: no limit) for the daemon's end or an event; exits when the daemon
 * closed its end (it never writes) or poll failed. */
static void wait_daemon_or_event(int ms)
{
	struct pollfd fds[2] = {{.fd = wire_fd, .events = POLLIN},
	                        {.fd = wake[0], .events = POLLIN}};
	int rc = poll(fds, 2, ms);
	if (rc < 0 && errno != EINTR)
		_exit(0);
	if (rc > 0 && fds[0].revents)
		_exit(0);
}

static void drain(int fd)
{
	char buf[4096];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int watch_usbmuxd_dir(char *name, size_t size)
{
	char path[108];
	if (!hotplug_usbmuxd_path(path, sizeof(path)))
		return -1;
	char copy[108];
	memcpy(copy, path, sizeof(copy));
	strlcpy_safe(name, basename(copy), size);
	int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (watch >= 0 && inotify_add_watch(watch, dirname(path),
	                                    IN_CREATE | IN_ATTRIB | IN_MOVED_TO | IN_ONLYDIR) < 0) {
		close(watch);
		watch = -1;
	}
	return watch;
}

/* Whether the queued inotify events name usbmuxd's socket (its directory may be /run), or
 * may have (events were dropped). *gone: the directory went, and the watch with it. */
static bool names_socket(int watch, const char *name, bool *gone)
{
	bool named = false;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	while ((n = read(watch, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len > 0 && strcmp(ev->name, name) == 0))
				named = true;
			if (ev->mask & IN_IGNORED)
				*gone = true;
			p += sizeof(*ev) + ev->len;
		}
	return named;
}

/* usbmuxd is waited for here, not by libusbmuxd: without inotify it sleeps a whole second
 * between tries. A watch on usbmuxd's directory wakes this when its socket appears (and is
 * rechecked a few times, as usbmuxd may chmod it before it listens); nothing else does, so an
 * empty cart (Debian's usbmuxd exits with the last phone) costs no wake-ups. Without the
 * watch it checks every 100 ms. */
static void wait_for_usbmuxd(void)
{
	char name[108] = "";
	int watch = watch_usbmuxd_dir(name, sizeof(name));
	int rechecks = 0;
	while (!hotplug_usbmuxd_listening()) {
		struct pollfd fds[2] = {{.fd = wire_fd, .events = POLLIN},
		                        {.fd = watch, .events = POLLIN}};
		int ms = watch < 0 ? SCAN_EVERY_MS : rechecks > 0 ? RECHECK_MS : -1;
		int rc = poll(fds, watch >= 0 ? 2 : 1, ms);
		if ((rc < 0 && errno != EINTR) || fds[0].revents)
			_exit(0);
		if (rechecks > 0)
			rechecks--;
		bool gone = false;
		if (watch >= 0 && fds[1].revents && names_socket(watch, name, &gone))
			rechecks = RECHECK_TRIES;
		if (gone) { /* nothing will wake this again: check every 100 ms instead */
			close(watch);
			watch = -1;
		}
	}
	if (watch >= 0)
		close(watch);
}

/* The connection libusbmuxd opens after subscribing: looked for every 100 ms (or at its first
 * event) for a second, then every second (usbmuxd went away again before it connected). */
static int first_connection(void)
{
	for (int tries = 0;; tries++) {
		int fd = usbmuxd_connection(-1);
		if (fd >= 0)
			return fd;
		wait_daemon_or_event(tries < SCAN_TRIES ? SCAN_EVERY_MS : SLOW_SCAN_MS);
		drain(wake[0]);
	}
}

/* libusbmuxd gave conn up and connected again: the new one (other) is watched from now on,
 * and conn closed (libusbmuxd 2.0.2 never touches it again), unless its number now names
 * another socket than the one watched (*watched). */
static int move_to(int conn, int other, struct stat *watched)
{
	struct stat now;
	if (fstat(conn, &now) == 0 && now.st_ino == watched->st_ino &&
	    now.st_dev == watched->st_dev)
		close(conn);
	trace("reconnected", other, 0);
	if (fstat(other, watched) != 0)
		memset(watched, 0, sizeof(*watched));
	return other;
}

/* Sleeps until the daemon or usbmuxd hangs up; an event wakes it to see whether libusbmuxd
 * has connected again. */
static void watch_connection(int conn)
{
	struct stat watched = {0};
	fstat(conn, &watched);
	for (;;) {
		struct pollfd fds[3] = {{.fd = wire_fd, .events = POLLIN},
		                        {.fd = conn, .events = POLLRDHUP},
		                        {.fd = wake[0], .events = POLLIN}};
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (fds[0].revents)
			return;
		if (fds[1].revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) {
			trace("watcher_exit reason=hangup", conn, (unsigned)fds[1].revents);
			return;
		}
		if (fds[2].revents) {
			drain(wake[0]);
			int other = usbmuxd_connection(conn);
			if (other >= 0)
				conn = move_to(conn, other, &watched);
		}
	}
}

int hotplug_watch_main(const char *fd_text, const char *parent_text)
{
	/* The watcher must not outlive the daemon; the parent check closes the window in which
	 * the daemon died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != (pid_t)atoi(parent_text))
		return 1;
	wire_fd = atoi(fd_text);
	close_range((unsigned)wire_fd + 1, ~0U, 0);
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) < 0)
		return 1;
	/* libusbmuxd waits for a vanished usbmuxd with inotify on /var/run/usbmuxd only, so with
	 * any other socket path, or a TCP address, it would never reconnect: it polls instead. */
	char path[108];
	if (!hotplug_usbmuxd_path(path, sizeof(path)) || strcmp(path, "/var/run/usbmuxd") != 0)
		libusbmuxd_set_use_inotify(0);
	if (trace_env_on())
		libusbmuxd_set_debug_level(1); /* its own errors, such as a short header read */
	wait_for_usbmuxd();
	note_fds_before_libusbmuxd();
	usbmuxd_subscription_context_t subscription;
	if (usbmuxd_events_subscribe(&subscription, forward, NULL) != 0)
		return 1;
	watch_connection(first_connection());
	/* _exit: libusbmuxd's thread is still running; nothing here needs an orderly end. */
	_exit(0);
}
