/* SPDX-License-Identifier: ISC */
/* metrics_accept: the bound sockets of the metrics listener on evhttp: opened and kept or
 * closed on reload (an address that stays keeps its socket), and paused for a moment when
 * accept fails (out of descriptors). Knows nothing of connections (metrics_http.c). */
#ifndef BACKUPD_METRICS_ACCEPT_H
#define BACKUPD_METRICS_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define ACCEPT_PAUSE_MS 1000 /* after accept fails (out of descriptors) */

struct evhttp;
struct event;
struct event_base;
struct evhttp_bound_socket;

struct metrics_bound {
	struct listen_address address;
	struct evhttp_bound_socket *bound;
};

struct metrics_accept {
	struct evhttp *http;
	struct metrics_bound listeners[LISTEN_MAX];
	int n_listeners;
	bool paused;                 /* listeners disabled: accept failed a moment ago */
	struct event *accept_resume; /* ends the pause */
};

/* One per process: evconnlistener's error callback is not given our pointer. */
void metrics_accept_init(struct metrics_accept *accept, struct event_base *base,
                         struct evhttp *http);
/* After evhttp_free (which closed the sockets). */
void metrics_accept_free(struct metrics_accept *accept);
/* Listens on every address of want (new ones bound, old ones not wanted closed); -1 with err
 * and nothing changed when one cannot be bound. */
int metrics_accept_configure(struct metrics_accept *accept, const struct listen_list *want,
                             char *err, size_t err_size);
/* Listening resumes unless accept failed a moment ago. */
void metrics_accept_update(struct metrics_accept *accept);
/* "127.0.0.1:9816, [::1]:9816" or "nothing". */
void metrics_accept_describe(const struct metrics_accept *accept, char *buf, size_t size);

#endif
