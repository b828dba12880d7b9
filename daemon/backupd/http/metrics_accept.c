/* SPDX-License-Identifier: ISC */
/* metrics_accept: the metrics listener's bound sockets; see metrics_accept.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "clock.h"
#include "journal.h"
#include "metrics_accept.h"
#include "metrics_listen.h"

/* evconnlistener hands its error callback evhttp's pointer, not ours: the one listener. */
static struct metrics_accept *accepting;

static void set_listening(struct metrics_accept *server, bool on)
{
	for (int i = 0; i < server->n_listeners; i++) {
		struct evconnlistener *lev =
		    evhttp_bound_socket_get_listener(server->listeners[i].bound);
		if (on)
			evconnlistener_enable(lev);
		else
			evconnlistener_disable(lev);
	}
	server->paused = !on;
}

void metrics_accept_update(struct metrics_accept *server)
{
	bool want = server->n_listeners > 0 && !evtimer_pending(server->accept_resume, NULL);
	if (want == server->paused)
		set_listening(server, want);
}

static void accept_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	metrics_accept_update(arg);
}

static void accept_failed(struct evconnlistener *lev, void *arg)
{
	(void)lev, (void)arg;
	struct metrics_accept *server = accepting;
	int error = EVUTIL_SOCKET_ERROR();
	if (server == NULL)
		return;
	log_warning("metrics: accept failed (%s); pausing the listeners for %d ms",
	            evutil_socket_error_to_string(error), ACCEPT_PAUSE_MS);
	struct timeval pause = clock_timeval_ms(ACCEPT_PAUSE_MS);
	evtimer_add(server->accept_resume, &pause);
	set_listening(server, false);
}

static int find_listener(const struct metrics_accept *server, const struct listen_address *address)
{
	for (int i = 0; i < server->n_listeners; i++)
		if (metrics_listen_same(&server->listeners[i].address, address))
			return i;
	return -1;
}

static void close_fresh(struct metrics_accept *server, struct metrics_bound *fresh, int n)
{
	for (int i = 0; i < n; i++)
		if (fresh[i].bound != NULL)
			evhttp_del_accept_socket(server->http, fresh[i].bound);
}

/* Binds every address of want not yet bound into fresh[]; -1 (nothing kept) on failure. */
static int open_new(struct metrics_accept *server, const struct listen_list *want,
                    struct metrics_bound fresh[LISTEN_MAX], char *err, size_t err_size)
{
	for (int i = 0; i < want->n; i++) {
		fresh[i].address = want->addresses[i];
		fresh[i].bound = NULL;
		int old = find_listener(server, &want->addresses[i]);
		if (old >= 0)
			continue;
		int fd = metrics_listen_open(&want->addresses[i], err, err_size);
		if (fd < 0) {
			close_fresh(server, fresh, i);
			return -1;
		}
		fresh[i].bound = evhttp_accept_socket_with_handle(server->http, fd);
		if (fresh[i].bound == NULL) {
			snprintf(err, err_size, "cannot accept connections: out of memory");
			close(fd);
			close_fresh(server, fresh, i);
			return -1;
		}
		evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(fresh[i].bound),
		                            accept_failed);
	}
	return 0;
}

int metrics_accept_configure(struct metrics_accept *server, const struct listen_list *want,
                             char *err, size_t err_size)
{
	struct metrics_bound fresh[LISTEN_MAX];

	if (open_new(server, want, fresh, err, err_size) < 0)
		return -1;
	/* Keep the sockets of addresses that stay; close those no longer listed. */
	for (int i = 0; i < want->n; i++) {
		int old = find_listener(server, &fresh[i].address);
		if (old >= 0) {
			fresh[i].bound = server->listeners[old].bound;
			server->listeners[old].bound = NULL;
		}
	}
	for (int i = 0; i < server->n_listeners; i++)
		if (server->listeners[i].bound != NULL)
			evhttp_del_accept_socket(server->http, server->listeners[i].bound);
	memcpy(server->listeners, fresh, sizeof(fresh[0]) * (size_t)want->n);
	server->n_listeners = want->n;
	set_listening(server, true);
	metrics_accept_update(server);
	return 0;
}

void metrics_accept_describe(const struct metrics_accept *server, char *buf, size_t size)
{
	const struct listen_address *shown[LISTEN_MAX];
	int n = server != NULL ? server->n_listeners : 0;
	for (int i = 0; i < n; i++)
		shown[i] = &server->listeners[i].address;
	metrics_listen_describe(shown, n, buf, size);
}

void metrics_accept_init(struct metrics_accept *server, struct event_base *base,
                         struct evhttp *http)
{
	*server = (struct metrics_accept){.http = http};
	server->accept_resume = evtimer_new(base, accept_resume, server);
	accepting = server;
}

void metrics_accept_free(struct metrics_accept *server)
{
	event_free(server->accept_resume);
	if (accepting == server)
		accepting = NULL;
}
