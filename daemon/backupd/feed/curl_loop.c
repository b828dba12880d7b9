/* SPDX-License-Identifier: ISC */
/* libcurl multi-socket <-> libevent glue. One struct event per socket curl asks us to
 * watch, one timer for curl's own timeouts. */
#include <stdlib.h>

#include <event2/event.h>

#include "curl_loop.h"

struct socket_watch {
	struct curl_loop *loop;
	struct event *event;
	struct socket_watch *prev, *next; /* so curl_loop_free can release what curl left */
};

struct curl_loop {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	struct socket_watch *watches;
	curl_loop_done_fn done;
	void *done_arg;
};

/* Hands every finished transfer back to its owner. */
static void deliver_finished(struct curl_loop *loop)
{
	CURLMsg *msg;
	int queued;

	while ((msg = curl_multi_info_read(loop->multi, &queued))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *easy = msg->easy_handle;
		CURLcode result = msg->data.result;

		curl_multi_remove_handle(loop->multi, easy); /* invalidates msg */
		loop->done(loop->done_arg, easy, result);
	}
}

static void on_socket_ready(evutil_socket_t fd, short what, void *arg)
{
	struct curl_loop *loop = ((struct socket_watch *)arg)->loop; /* arg may go in the call */
	int flags =
	    ((what & EV_READ) ? CURL_CSELECT_IN : 0) | ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	int running;

	curl_multi_socket_action(loop->multi, fd, flags, &running);
	deliver_finished(loop);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct curl_loop *loop = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	deliver_finished(loop);
}

static void unwatch(struct socket_watch *watch)
{
	if (watch->prev)
		watch->prev->next = watch->next;
	else
		watch->loop->watches = watch->next;
	if (watch->next)
		watch->next->prev = watch->prev;
	event_free(watch->event);
	free(watch);
}

static struct socket_watch *new_watch(struct curl_loop *loop, curl_socket_t fd)
{
	struct socket_watch *watch = calloc(1, sizeof(*watch));

	if (!watch)
		return NULL;
	watch->loop = loop;
	watch->event = event_new(loop->base, fd, 0, on_socket_ready, watch);
	if (!watch->event) {
		free(watch);
		return NULL;
	}
	watch->next = loop->watches;
	if (loop->watches)
		loop->watches->prev = watch;
	loop->watches = watch;
	curl_multi_assign(loop->multi, fd, watch);
	return watch;
}

/* CURLMOPT_SOCKETFUNCTION: curl says what it wants to hear about fd. */
static int on_socket_change(CURL *easy, curl_socket_t fd, int what, void *loop_arg, void *watch_arg)
{
	struct curl_loop *loop = loop_arg;
	struct socket_watch *watch = watch_arg;
	short events = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (watch)
			unwatch(watch);
		return 0;
	}
	if (!watch && !(watch = new_watch(loop, fd)))
		return -1;
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	event_del(watch->event);
	event_assign(watch->event, loop->base, fd, events, on_socket_ready, watch);
	return event_add(watch->event, NULL);
}

/* CURLMOPT_TIMERFUNCTION: curl wants on_timer in timeout_ms (-1: never). Curl must not be
 * called back from here, so even 0 goes through the loop. */
static int on_timer_change(CURLM *multi, long timeout_ms, void *loop_arg)
{
	struct curl_loop *loop = loop_arg;
	struct timeval delay = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};

	(void)multi;
	if (timeout_ms < 0)
		return evtimer_del(loop->timer);
	return evtimer_add(loop->timer, &delay);
}

struct curl_loop *curl_loop_new(struct event_base *base, curl_loop_done_fn done, void *arg)
{
	struct curl_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->base = base;
	loop->done = done;
	loop->done_arg = arg;
	loop->multi = curl_multi_init();
	loop->timer = evtimer_new(base, on_timer, loop);
	if (!loop->multi || !loop->timer) {
		curl_loop_free(loop);
		return NULL;
	}
	curl_multi_setopt(loop->multi, CURLMOPT_SOCKETFUNCTION, on_socket_change);
	curl_multi_setopt(loop->multi, CURLMOPT_SOCKETDATA, loop);
	curl_multi_setopt(loop->multi, CURLMOPT_TIMERFUNCTION, on_timer_change);
	curl_multi_setopt(loop->multi, CURLMOPT_TIMERDATA, loop);
	return loop;
}

int curl_loop_add(struct curl_loop *loop, CURL *easy)
{
	return curl_multi_add_handle(loop->multi, easy) == CURLM_OK ? 0 : -1;
}

void curl_loop_remove(struct curl_loop *loop, CURL *easy)
{
	curl_multi_remove_handle(loop->multi, easy);
}

void curl_loop_free(struct curl_loop *loop)
{
	if (!loop)
		return;
	if (loop->multi)
		curl_multi_cleanup(loop->multi); /* may still report sockets as removed */
	while (loop->watches)
		unwatch(loop->watches);
	if (loop->timer)
		event_free(loop->timer);
	free(loop);
}
