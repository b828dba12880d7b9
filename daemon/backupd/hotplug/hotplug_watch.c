/* SPDX-License-Identifier: ISC */
/* hotplug_watch: the usbmuxd watcher process. libusbmuxd's event thread calls back here and
 * each event becomes one datagram to the daemon. The main thread only watches for the end of
 * the usbmuxd connection: it is the only socket libusbmuxd keeps, so a hang-up on any
 * descriptor but ours means usbmuxd went away, and the process exits before libusbmuxd can
 * reconnect and leave the old socket behind. The daemon starts a fresh watcher. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <usbmuxd.h>

#include "hotplug.h"
#include "hotplug_wire.h"
#include "trace_env.h"

#define SCAN_EVERY_MS 100
#define FD_SCAN_MAX   128 /* the watcher holds a handful; libusbmuxd's socket is among them */

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

/* True when a descriptor other than the wire (and stdio) has hung up: libusbmuxd's Listen
 * connection. A dead socket it has already replaced stays open, so it is still seen here. */
static bool usbmuxd_connection_ended(void)
{
	struct pollfd fds[FD_SCAN_MAX];
	nfds_t n = 0;
	for (int fd = 3; fd < FD_SCAN_MAX + 3; fd++)
		if (fd != wire_fd)
			fds[n++] = (struct pollfd){.fd = fd, .events = POLLRDHUP};
	if (poll(fds, n, 0) <= 0)
		return false;
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].revents & (POLLHUP | POLLRDHUP | POLLERR)) {
			if (trace_env_on())
				fprintf(stderr,
				        "backupd-trace usbmuxd watcher_exit fd=%d revents=%#x\n",
				        fds[i].fd, (unsigned)fds[i].revents);
			return true;
		}
	return false;
}

/* Waits up to ms; true when the daemon closed its end (it never writes) or poll failed. */
static bool daemon_gone(int ms)
{
	struct pollfd wire = {.fd = wire_fd, .events = POLLIN};
	int rc = poll(&wire, 1, ms);
	return rc > 0 || (rc < 0 && errno != EINTR);
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
	/* usbmuxd is waited for here, not by libusbmuxd: without inotify it sleeps a whole second
	 * between tries, and before it connects, its half-made sockets would look hung up to the
	 * scan below and end this watcher early (the daemon then backs off up to 5 s). */
	while (!hotplug_usbmuxd_listening())
		if (daemon_gone(SCAN_EVERY_MS))
			_exit(0);
	usbmuxd_subscription_context_t subscription;
	if (usbmuxd_events_subscribe(&subscription, forward, NULL) != 0)
		return 1;
	while (!daemon_gone(SCAN_EVERY_MS) && !usbmuxd_connection_ended())
		;
	/* _exit: libusbmuxd's thread is still running; nothing here needs an orderly end. */
	_exit(0);
}
