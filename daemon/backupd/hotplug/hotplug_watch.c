/* SPDX-License-Identifier: ISC */
/* hotplug_watch: the usbmuxd watcher process. libusbmuxd's event thread calls back here and
 * each event becomes one datagram to the daemon. The main thread sleeps until the usbmuxd
 * connection ends, then the process exits before libusbmuxd can reconnect and leave the old
 * socket behind; the daemon starts a fresh watcher. It sleeps without a timeout while usbmuxd
 * is there, so an idle host costs no wake-ups (tests/bench/run.sh counts them).
 *
 * libusbmuxd (2.0.2 and its master as of 2026-12) reads each event's 16-byte header with one
 * recv(). usbmuxd writes the Listen backlog in whatever pieces the socket takes, so with a few
 * hundred phones a header can arrive split; the short read puts the stream out of step, the
 * library then waits 5 s for a payload that never comes, reports every phone removed, and
 * opens a new connection without closing the old one. The watcher keeps sleeping on the old
 * one: usbmuxd hangs up both when it goes. The 5 s and the removals are libusbmuxd's; with
 * BACKUPD_TRACE its own error lines say when it happened (tests/bench/recovery_summary.sh
 * counts them; the simulator's `usbmuxd split-next` makes it happen). */
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <usbmuxd.h>

#include "hotplug.h"
#include "hotplug_wire.h"
#include "trace_env.h"

#define SCAN_EVERY_MS       100
#define SCAN_TRIES          10   /* a connection appears within a second of subscribing */
#define USBMUXD_FALLBACK_MS 1000 /* where usbmuxd's directory cannot be watched */
#define FD_SCAN_MAX         128 /* the watcher holds a handful; libusbmuxd's socket is among them */

static int wire_fd = -1;

static void forward(const usbmuxd_event_t *event, void *arg)
{
	(void)arg;
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

static void trace_exit(const char *reason, int fd, unsigned revents)
{
	if (trace_env_on())
		fprintf(stderr, "backupd-trace usbmuxd watcher_exit reason=%s fd=%d revents=%#x\n",
		        reason, fd, revents);
}

/* libusbmuxd's Listen connection: the connected socket that is not the daemon's. */
static int usbmuxd_connection(void)
{
	for (int fd = 3; fd < FD_SCAN_MAX + 3; fd++) {
		if (fd == wire_fd)
			continue;
		struct stat st;
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    getpeername(fd, (struct sockaddr *)&peer, &len) == 0)
			return fd;
	}
	return -1;
}

/* Waits up to ms; true when the daemon closed its end (it never writes) or poll failed. */
static bool daemon_gone(int ms)
{
	struct pollfd wire = {.fd = wire_fd, .events = POLLIN};
	int rc = poll(&wire, 1, ms);
	return rc > 0 || (rc < 0 && errno != EINTR);
}

static void drain(int fd)
{
	char buf[4096];
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* usbmuxd is waited for here, not by libusbmuxd: without inotify it sleeps a whole second
 * between tries. usbmuxd creates its socket and then chmods it once listening, so a watch on
 * its directory wakes this at once; nothing else wakes it while usbmuxd is away. */
static void wait_for_usbmuxd(void)
{
	char path[108];
	int watch = -1;
	if (hotplug_usbmuxd_path(path, sizeof(path))) {
		watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (watch >= 0 && inotify_add_watch(watch, dirname(path),
		                                    IN_CREATE | IN_ATTRIB | IN_MOVED_TO) < 0) {
			close(watch);
			watch = -1;
		}
	}
	while (!hotplug_usbmuxd_listening()) {
		struct pollfd fds[2] = {{.fd = wire_fd, .events = POLLIN},
		                        {.fd = watch, .events = POLLIN}};
		int rc =
		    poll(fds, watch >= 0 ? 2 : 1, watch >= 0 ? USBMUXD_FALLBACK_MS : SCAN_EVERY_MS);
		if (rc < 0 && errno != EINTR)
			_exit(0);
		if (fds[0].revents)
			_exit(0);
		if (watch >= 0 && fds[1].revents)
			drain(watch);
	}
	if (watch >= 0)
		close(watch);
}

/* The connection libusbmuxd opens after subscribing: looked for every 100 ms for a second,
 * then every second (usbmuxd went away again, and libusbmuxd is waiting for it). */
static int first_connection(void)
{
	for (int tries = 0;; tries++) {
		int fd = usbmuxd_connection();
		if (fd >= 0)
			return fd;
		if (daemon_gone(tries < SCAN_TRIES ? SCAN_EVERY_MS : USBMUXD_FALLBACK_MS))
			_exit(0);
	}
}

/* Sleeps until the daemon or usbmuxd hangs up. */
static void watch_connection(int conn)
{
	for (;;) {
		struct pollfd fds[2] = {{.fd = wire_fd, .events = POLLIN},
		                        {.fd = conn, .events = POLLRDHUP}};
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (fds[0].revents)
			return;
		if (fds[1].revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) {
			trace_exit("hangup", conn, (unsigned)fds[1].revents);
			return;
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
	/* libusbmuxd waits for a vanished usbmuxd with inotify on /var/run/usbmuxd only, so with
	 * any other socket path it would never reconnect: it polls there instead. */
	char path[108];
	if (hotplug_usbmuxd_path(path, sizeof(path)) && strcmp(path, "/var/run/usbmuxd") != 0)
		libusbmuxd_set_use_inotify(0);
	if (trace_env_on())
		libusbmuxd_set_debug_level(1); /* its own errors, such as a short header read */
	wait_for_usbmuxd();
	usbmuxd_subscription_context_t subscription;
	if (usbmuxd_events_subscribe(&subscription, forward, NULL) != 0)
		return 1;
	watch_connection(first_connection());
	/* _exit: libusbmuxd's thread is still running; nothing here needs an orderly end. */
	_exit(0);
}
