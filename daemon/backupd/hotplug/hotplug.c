/* SPDX-License-Identifier: ISC */
/* hotplug: device events from the usbmuxd watcher process, read on the loop; the first
 * listing, done on a thread (libusbmuxd's list call blocks); and usbmuxd's presence.
 *
 * Why a process: libusbmuxd 2.0.2's event thread opens a new Listen socket each time usbmuxd
 * comes back and never closes the old one (device_monitor overwrites listenfd), and cancelling
 * the thread while it waits leaks its inotify descriptor. Debian's usbmuxd exits whenever the
 * last phone leaves, so each emptied cart cost the daemon one descriptor, for good. The watcher
 * (hotplug_watch.c) exits when its connection ends and takes all of that with it. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <usbmuxd.h>

#include "thread_start.h"
#include "clock.h"
#include "facts.h"
#include "hotplug.h"
#include "hotplug_udid.h"
#include "hotplug_wire.h"
#include "xmalloc.h"
#include "trace_env.h"

#define PRESENCE_CHECK_MS 2000
#define RESPAWN_MIN_MS    250
#define RESPAWN_MAX_MS    5000
/* a watcher that lived this long is restarted at once: it waits for usbmuxd itself */
#define STEADY_LIFE_MS 1000
#define WATCHER_FD     3

extern char **environ;

struct queued_event {
	enum hotplug_kind kind;
	char udid[UDID_MAX];
};

struct watcher {
	pid_t pid;
	int fd;
	struct event *readable;
	int64_t started_ms;
	bool reported; /* has delivered a phone, so it reached usbmuxd: no back-off when it ends */
	/* what this watcher reported attached: detached when it ends */
	char (*attached)[UDID_MAX];
	size_t n_attached, cap_attached;
};

struct hotplug {
	struct event_base *base;
	struct hotplug_callbacks cb;
	pthread_mutex_t lock; /* guards the enumeration */
	struct event *drain;
	char exe[64]; /* the daemon's own binary, for the watcher */
	int exe_fd;
	struct watcher watcher;
	struct event *respawn;
	int respawn_ms;
	pid_t *unreaped; /* ended watchers not yet reaped */
	size_t n_unreaped;
	/* initial enumeration, done on a thread: libusbmuxd's list call blocks */
	pthread_t enumerator;
	bool enumerator_started;
	bool enumeration_done;
	int enumeration_count;
	struct queued_event *enumerated;
	bool enumeration_reported;
	/* devices detached while the listing was under way: the listing may predate that */
	char (*gone)[UDID_MAX];
	size_t n_gone;
	/* presence */
	struct event *presence_timer;
	bool present_known;
	bool present;
	bool trace; /* BACKUPD_TRACE: the watchers' lives on stderr (tests/bench/reliab_bar.sh) */
};

static void *enumerate_thread(void *arg)
{
	struct hotplug *hp = arg;
	usbmuxd_device_info_t *list = NULL;
	int n = usbmuxd_get_device_list(&list);
	struct queued_event *found = NULL;
	int n_usb = 0;
	if (n > 0) {
		found = xcalloc((size_t)n, sizeof(*found));
		for (int i = 0; i < n; i++) {
			if (list[i].conn_type != CONNECTION_TYPE_USB ||
			    !hotplug_udid_accept(list[i].udid, sizeof(list[i].udid)))
				continue;
			found[n_usb].kind = HOTPLUG_ATTACHED;
			strlcpy_safe(found[n_usb].udid, list[i].udid, sizeof(found[n_usb].udid));
			n_usb++;
		}
	}
	if (list)
		usbmuxd_device_list_free(&list);
	pthread_mutex_lock(&hp->lock);
	hp->enumerated = found;
	hp->enumeration_count = n < 0 ? -1 : n_usb;
	hp->enumeration_done = true;
	pthread_mutex_unlock(&hp->lock);
	event_active(hp->drain, EV_READ, 0);
	return NULL;
}

static bool gone_since_listing(const struct hotplug *hp, const char *udid)
{
	for (size_t i = 0; i < hp->n_gone; i++)
		if (strcmp(hp->gone[i], udid) == 0)
			return true;
	return false;
}

static void note_gone(struct hotplug *hp, const char *udid)
{
	if (hp->enumeration_reported)
		return;
	hp->gone = xreallocarray(hp->gone, hp->n_gone + 1, sizeof(*hp->gone));
	strlcpy_safe(hp->gone[hp->n_gone++], udid, UDID_MAX);
}

static void report_enumeration(struct hotplug *hp)
{
	pthread_mutex_lock(&hp->lock);
	bool done = hp->enumeration_done;
	struct queued_event *found = hp->enumerated;
	int count = hp->enumeration_count;
	hp->enumerated = NULL;
	pthread_mutex_unlock(&hp->lock);
	if (!done || hp->enumeration_reported)
		return;
	hp->enumeration_reported = true;
	pthread_join(hp->enumerator, NULL);
	hp->enumerator_started = false;
	for (int i = 0; i < count; i++)
		if (!gone_since_listing(hp, found[i].udid))
			hp->cb.device(hp->cb.arg, HOTPLUG_ATTACHED, found[i].udid);
	free(found);
	free(hp->gone);
	hp->gone = NULL;
	hp->n_gone = 0;
	hp->cb.enumerated(hp->cb.arg, count < 0 ? 0 : count);
}

static void enumeration_done(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	report_enumeration(arg);
}

bool hotplug_usbmuxd_path(char *path, size_t size)
{
	const char *addr = getenv("USBMUXD_SOCKET_ADDRESS");
	if (addr && strncmp(addr, "UNIX:", 5) == 0) {
		strlcpy_safe(path, addr + 5, size);
		return true;
	}
	/* libusbmuxd treats anything else with a colon as host:port. */
	if (addr && *addr && strchr(addr, ':'))
		return false;
	strlcpy_safe(path, "/var/run/usbmuxd", size);
	return true;
}

/* A UNIX-socket connect answers at once: listening, refused, or no such file. */
bool hotplug_usbmuxd_listening(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!hotplug_usbmuxd_path(sa.sun_path, sizeof(sa.sun_path)))
		return true;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;
	int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	bool listening = rc == 0 || errno == EAGAIN || errno == EINPROGRESS;
	close(fd);
	return listening;
}

static void reap_watchers(struct hotplug *hp);

/* Also reaps ended watchers: one killed just before the next started is not dead yet then. */
static void check_presence(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct hotplug *hp = arg;
	reap_watchers(hp);
	bool now_present = hotplug_usbmuxd_listening();
	if (!hp->present_known || now_present != hp->present) {
		hp->present_known = true;
		hp->present = now_present;
		hp->cb.usbmuxd(hp->cb.arg, now_present);
	}
}

/* ---- the watcher process ---------------------------------------------------------- */

static void watcher_start(struct hotplug *hp);

static void remember_attached(struct watcher *w, const char *udid)
{
	for (size_t i = 0; i < w->n_attached; i++)
		if (strcmp(w->attached[i], udid) == 0)
			return;
	if (w->n_attached == w->cap_attached) {
		w->cap_attached = w->cap_attached ? w->cap_attached * 2 : 64;
		w->attached = xreallocarray(w->attached, w->cap_attached, sizeof(*w->attached));
	}
	strlcpy_safe(w->attached[w->n_attached++], udid, UDID_MAX);
}

static bool forget_attached(struct watcher *w, const char *udid)
{
	for (size_t i = 0; i < w->n_attached; i++) {
		if (strcmp(w->attached[i], udid) == 0) {
			memmove(w->attached[i], w->attached[w->n_attached - 1], UDID_MAX);
			w->n_attached--;
			return true;
		}
	}
	return false;
}

static void deliver(struct hotplug *hp, enum hotplug_kind kind, const char *udid)
{
	if (!hotplug_udid_accept(udid, UDID_MAX))
		return;
	if (hp->trace && !hp->watcher.reported && kind == HOTPLUG_ATTACHED)
		fprintf(stderr,
		        "backupd-trace usbmuxd first_attach at_ms=%lld after_start_ms=%lld\n",
		        (long long)clock_realtime_ms(),
		        (long long)(clock_monotonic_ms() - hp->watcher.started_ms));
	if (kind == HOTPLUG_ATTACHED) {
		hp->watcher.reported = true;
		remember_attached(&hp->watcher, udid);
	} else if (kind == HOTPLUG_DETACHED) {
		if (!forget_attached(&hp->watcher, udid))
			return;
		note_gone(hp, udid);
	}
	hp->cb.device(hp->cb.arg, kind, udid);
}

static void reap_watchers(struct hotplug *hp)
{
	size_t kept = 0;
	for (size_t i = 0; i < hp->n_unreaped; i++)
		if (waitpid(hp->unreaped[i], NULL, WNOHANG) == 0)
			hp->unreaped[kept++] = hp->unreaped[i];
	hp->n_unreaped = kept;
}

/* The watcher ended (usbmuxd went away, or it failed): what it had attached is gone too, as
 * libusbmuxd itself would have said; a fresh watcher picks the devices up again. */
static void watcher_ended(struct hotplug *hp)
{
	struct watcher *w = &hp->watcher;
	kill(w->pid, SIGKILL);
	hp->unreaped = xreallocarray(hp->unreaped, hp->n_unreaped + 1, sizeof(pid_t));
	hp->unreaped[hp->n_unreaped++] = w->pid;
	reap_watchers(hp);
	event_free(w->readable);
	close(w->fd);
	w->readable = NULL;
	w->fd = -1;
	w->pid = 0;
	while (w->n_attached > 0) {
		char udid[UDID_MAX];
		strlcpy_safe(udid, w->attached[w->n_attached - 1], sizeof(udid));
		deliver(hp, HOTPLUG_DETACHED, udid);
	}
	int64_t lived_ms = clock_monotonic_ms() - w->started_ms;
	/* One that saw phones worked: usbmuxd went away again (the watcher waits for it to come
	 * back itself), so no back-off however short its life. */
	bool steady = lived_ms >= STEADY_LIFE_MS || w->reported;
	hp->respawn_ms = steady                                ? 0
	                 : hp->respawn_ms == 0                 ? RESPAWN_MIN_MS
	                 : hp->respawn_ms * 2 > RESPAWN_MAX_MS ? RESPAWN_MAX_MS
	                                                       : hp->respawn_ms * 2;
	if (hp->trace)
		fprintf(
		    stderr,
		    "backupd-trace usbmuxd watcher_end at_ms=%lld lived_ms=%lld respawn_ms=%d\n",
		    (long long)clock_realtime_ms(), (long long)lived_ms, hp->respawn_ms);
	struct timeval after = clock_timeval_ms(hp->respawn_ms);
	evtimer_add(hp->respawn, &after);
}

static enum hotplug_kind wire_kind(uint32_t kind, bool *known)
{
	*known = true;
	switch (kind) {
	case HOTPLUG_WIRE_ATTACHED:
		return HOTPLUG_ATTACHED;
	case HOTPLUG_WIRE_DETACHED:
		return HOTPLUG_DETACHED;
	case HOTPLUG_WIRE_PAIRED:
		return HOTPLUG_PAIRED;
	default:
		*known = false;
		return HOTPLUG_ATTACHED;
	}
}

static void watcher_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct hotplug *hp = arg;
	for (int burst = 0; burst < 256; burst++) {
		struct hotplug_wire_event msg;
		ssize_t n = recv(fd, &msg, sizeof(msg), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n != (ssize_t)sizeof(msg) || msg.magic != HOTPLUG_WIRE_MAGIC) {
			watcher_ended(hp);
			return;
		}
		bool known;
		enum hotplug_kind kind = wire_kind(msg.kind, &known);
		msg.udid[UDID_MAX - 1] = '\0';
		if (known && msg.udid[0] != '\0')
			deliver(hp, kind, msg.udid);
	}
}

static int spawn_watcher(struct hotplug *hp, int child_fd, pid_t *pid)
{
	char fd_text[16], parent_text[16];
	snprintf(fd_text, sizeof(fd_text), "%d", WATCHER_FD);
	snprintf(parent_text, sizeof(parent_text), "%d", (int)getpid());
	char *argv[] = {hp->exe, "--usbmuxd-watcher", fd_text, parent_text, NULL};
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, child_fd, WATCHER_FD);
	int rc = posix_spawn(pid, hp->exe, &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	return rc;
}

static void watcher_start(struct hotplug *hp)
{
	struct watcher *w = &hp->watcher;
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) {
		fds[0] = fds[1] = -1;
	} else if (fds[1] == WATCHER_FD) { /* dup2 onto itself would keep CLOEXEC */
		int moved = fcntl(fds[1], F_DUPFD_CLOEXEC, WATCHER_FD + 1);
		close(fds[1]);
		fds[1] = moved;
	}
	pid_t pid = 0;
	int rc = fds[1] < 0 ? -1 : spawn_watcher(hp, fds[1], &pid);
	if (fds[1] >= 0)
		close(fds[1]);
	w->started_ms = clock_monotonic_ms();
	w->reported = false;
	if (hp->trace)
		fprintf(stderr, "backupd-trace usbmuxd watcher_start at_ms=%lld ok=%d\n",
		        (long long)clock_realtime_ms(), rc == 0);
	if (rc != 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		hp->respawn_ms = hp->respawn_ms ? hp->respawn_ms : RESPAWN_MAX_MS;
		struct timeval after = clock_timeval_ms(RESPAWN_MAX_MS);
		evtimer_add(hp->respawn, &after);
		return;
	}
	w->pid = pid;
	w->fd = fds[0];
	w->readable = event_new(hp->base, w->fd, EV_READ | EV_PERSIST, watcher_readable, hp);
	event_add(w->readable, NULL);
}

static void respawn_watcher(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct hotplug *hp = arg;
	reap_watchers(hp);
	if (hp->watcher.pid == 0)
		watcher_start(hp);
}

/* The daemon's own binary, held open so that an upgrade on disk cannot swap the watcher. */
static void resolve_exe(struct hotplug *hp)
{
	hp->exe_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (hp->exe_fd < 0)
		strlcpy_safe(hp->exe, "/proc/self/exe", sizeof(hp->exe));
	else
		snprintf(hp->exe, sizeof(hp->exe), "/proc/self/fd/%d", hp->exe_fd);
}

struct hotplug *hotplug_new(struct event_base *base, const struct hotplug_callbacks *callbacks)
{
	struct hotplug *hp = xcalloc(1, sizeof(*hp));
	hp->base = base;
	hp->cb = *callbacks;
	hp->watcher.fd = -1;
	hp->trace = trace_env_on();
	pthread_mutex_init(&hp->lock, NULL);
	resolve_exe(hp);
	hp->drain = event_new(base, -1, 0, enumeration_done, hp);
	hp->respawn = evtimer_new(base, respawn_watcher, hp);
	hp->presence_timer = event_new(base, -1, EV_PERSIST, check_presence, hp);
	struct timeval every = clock_timeval_ms(PRESENCE_CHECK_MS);
	event_add(hp->presence_timer, &every);
	check_presence(-1, 0, hp);
	hp->enumerator_started = thread_start(&hp->enumerator, NULL, enumerate_thread, hp) == 0;
	if (!hp->enumerator_started) {
		hp->enumeration_done = true;
		hp->enumeration_count = -1;
		event_active(hp->drain, EV_READ, 0);
	}
	watcher_start(hp);
	return hp;
}

void hotplug_free(struct hotplug *hp)
{
	if (!hp)
		return;
	if (hp->watcher.pid > 0) {
		kill(hp->watcher.pid, SIGKILL);
		waitpid(hp->watcher.pid, NULL, 0);
		event_free(hp->watcher.readable);
		close(hp->watcher.fd);
	}
	for (size_t i = 0; i < hp->n_unreaped; i++)
		waitpid(hp->unreaped[i], NULL, 0);
	if (hp->enumerator_started)
		pthread_join(hp->enumerator, NULL);
	event_free(hp->drain);
	event_free(hp->respawn);
	event_free(hp->presence_timer);
	if (hp->exe_fd >= 0)
		close(hp->exe_fd);
	free(hp->watcher.attached);
	free(hp->unreaped);
	free(hp->enumerated);
	free(hp->gone);
	pthread_mutex_destroy(&hp->lock);
	free(hp);
}
