/* SPDX-License-Identifier: ISC */
/* metrics: the /metrics endpoint, served by libevent's evhttp on the daemon's loop.
 *
 * Only GET and HEAD of /metrics (other paths 404, other methods 405). One request per
 * connection (Connection: close). Bounds: request headers 8 KiB, no body, RequestTimeout per
 * connection from accept to the last byte sent, MaxConnections open at once (beyond that the
 * listeners pause and the kernel's small backlog holds the rest), and a cap on the rendered
 * bytes not yet sent (64 MiB; beyond it 503). Scrapes wait for the next render, which answers
 * every scrape waiting when it ends; it is written in parts, one per loop turn, so a burst
 * never stalls the loop for a whole render, and the answers a slice at a time. */
#ifndef BACKUPD_METRICS_H
#define BACKUPD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "metrics_render.h"
#include "metrics_text.h"

struct event_base;
struct metrics_server;

/* Appends the next part of one scrape's body to out (metrics_render_part) and says whether
 * the body is whole; the server calls it once per loop turn until it is. */
typedef bool metrics_render_cb(void *arg, struct metrics_text *out,
                               struct metrics_render_cursor *cursor);

struct metrics_options {
	struct listen_list listen; /* n == 0: not listening */
	int max_connections;
	int64_t request_timeout_ms;
};

struct metrics_server *metrics_server_new(struct event_base *base, metrics_render_cb *render,
                                          void *arg);
/* Listens on exactly opts->listen, keeping the sockets of addresses that stay. If a new
 * address cannot be bound, nothing changes: returns -1 and err says which and why. */
int metrics_server_configure(struct metrics_server *server, const struct metrics_options *opts,
                             char *err, size_t err_size);
/* "127.0.0.1:9816, [::1]:9816" (or "nothing") for logs. */
void metrics_server_describe(const struct metrics_server *server, char *buf, size_t size);
void metrics_server_free(struct metrics_server *server);

/* Requests for any path but /metrics go to handle (the cart pages, http/pages.h), under the
 * same connection cap, deadline and header limit; without one they get 404. */
struct evhttp_request;
typedef void metrics_other_cb(void *arg, struct evhttp_request *req);
void metrics_server_set_other(struct metrics_server *server, metrics_other_cb *handle, void *arg);

#endif
