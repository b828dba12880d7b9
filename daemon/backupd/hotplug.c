/* hotplug: libusbmuxd's event thread only queues events; the loop drains the queue. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>
#include <usbmuxd.h>

#include "clock.h"
#include "facts.h"
#include "hotplug.h"
#include "hotplug_udid.h"
#include "xmalloc.h"

#define PRESENCE_CHECK_MS 2000

struct queued_event {
	enum hotplug_kind kind;
	char udid[UDID_MAX];
};

struct hotplug {
	struct event_base *base;
	struct hotplug_callbacks cb;
	usbmuxd_subscription_context_t subscription;
	pthread_mutex_t lock; /* guards queue, n_queued, enumeration */
	struct queued_event *queue;
	size_t n_queued, cap_queued;
	struct event *drain;
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
};

/* Runs on libusbmuxd's thread: copy, queue, wake the loop. Nothing else. */
static void queue_event(struct hotplug *hp, enum hotplug_kind kind, const char *udid)
{
	pthread_mutex_lock(&hp->lock);
	if (hp->n_queued == hp->cap_queued) {
		hp->cap_queued = hp->cap_queued ? hp->cap_queued * 2 : 64;
		hp->queue = xreallocarray(hp->queue, hp->cap_queued, sizeof(*hp->queue));
	}
	struct queued_event *ev = &hp->queue[hp->n_queued++];
	ev->kind = kind;
	strlcpy_safe(ev->udid, udid, sizeof(ev->udid));
	pthread_mutex_unlock(&hp->lock);
	event_active(hp->drain, EV_READ, 0);
}

static void on_usbmuxd_event(const usbmuxd_event_t *event, void *arg)
{
	/* Network-connected devices would duplicate USB ones; a cart is USB. */
	if (event->device.conn_type != CONNECTION_TYPE_USB)
		return;
	enum hotplug_kind kind;
	switch (event->event) {
	case UE_DEVICE_ADD:
		kind = HOTPLUG_ATTACHED;
		break;
	case UE_DEVICE_REMOVE:
		kind = HOTPLUG_DETACHED;
		break;
	case UE_DEVICE_PAIRED:
		kind = HOTPLUG_PAIRED;
		break;
	default:
		return;
	}
	if (!hotplug_udid_accept(event->device.udid, sizeof(event->device.udid)))
		return;
	queue_event(arg, kind, event->device.udid);
}

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

static void drain_events(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct hotplug *hp = arg;
	report_enumeration(hp);
	for (;;) {
		pthread_mutex_lock(&hp->lock);
		size_t n = hp->n_queued;
		struct queued_event *batch = hp->queue;
		hp->queue = NULL;
		hp->n_queued = hp->cap_queued = 0;
		pthread_mutex_unlock(&hp->lock);
		if (n == 0) {
			free(batch);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			if (batch[i].kind == HOTPLUG_DETACHED)
				note_gone(hp, batch[i].udid);
			hp->cb.device(hp->cb.arg, batch[i].kind, batch[i].udid);
		}
		free(batch);
	}
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
static bool usbmuxd_listening(void)
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

static void check_presence(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct hotplug *hp = arg;
	bool now_present = usbmuxd_listening();
	if (!hp->present_known || now_present != hp->present) {
		hp->present_known = true;
		hp->present = now_present;
		hp->cb.usbmuxd(hp->cb.arg, now_present);
	}
}

struct hotplug *hotplug_new(struct event_base *base, const struct hotplug_callbacks *callbacks)
{
	struct hotplug *hp = xcalloc(1, sizeof(*hp));
	hp->base = base;
	hp->cb = *callbacks;
	pthread_mutex_init(&hp->lock, NULL);
	hp->drain = event_new(base, -1, 0, drain_events, hp);
	hp->presence_timer = event_new(base, -1, EV_PERSIST, check_presence, hp);
	struct timeval every = clock_timeval_ms(PRESENCE_CHECK_MS);
	event_add(hp->presence_timer, &every);
	check_presence(-1, 0, hp);
	hp->enumerator_started = pthread_create(&hp->enumerator, NULL, enumerate_thread, hp) == 0;
	if (!hp->enumerator_started) {
		hp->enumeration_done = true;
		hp->enumeration_count = -1;
		event_active(hp->drain, EV_READ, 0);
	}
	/* libusbmuxd 2.0.2 waits for a vanished usbmuxd with inotify on /var/run/usbmuxd only, so
	 * with any other socket path it would never reconnect: poll there instead. */
	char path[108];
	if (hotplug_usbmuxd_path(path, sizeof(path)) && strcmp(path, "/var/run/usbmuxd") != 0)
		libusbmuxd_set_use_inotify(0);
	/* libusbmuxd retries on its own thread while usbmuxd is away. */
	usbmuxd_events_subscribe(&hp->subscription, on_usbmuxd_event, hp);
	return hp;
}

void hotplug_free(struct hotplug *hp)
{
	if (!hp)
		return;
	if (hp->subscription)
		usbmuxd_events_unsubscribe(hp->subscription);
	if (hp->enumerator_started)
		pthread_join(hp->enumerator, NULL);
	event_free(hp->drain);
	event_free(hp->presence_timer);
	free(hp->queue);
	free(hp->enumerated);
	free(hp->gone);
	pthread_mutex_destroy(&hp->lock);
	free(hp);
}
