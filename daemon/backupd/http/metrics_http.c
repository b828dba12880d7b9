/* SPDX-License-Identifier: ISC */
/* The /metrics HTTP server on evhttp (libevent 2.1).
 *
 * evhttp 2.1 has no connection cap and only inactivity timeouts, which a slowloris client
 * defeats by trickling bytes. So each connection gets a record here: it is made when evhttp
 * asks for the connection's bufferevent (evhttp_set_bevcb), bound to its evhttp_connection
 * a moment later (the bufferevent's callback argument) and dropped by that connection's close
 * callback. The record carries the cap's count and a firm deadline (RequestTimeout from
 * accept) that closes the connection whatever the client does. Scrapes wait for their render
 * in metrics_scrape.c.
 *
 * Fair under floods of idle or slow connections (metrics_fair.c): the listeners never pause
 * at the cap (a connection waiting in the kernel's backlog would have its RequestTimeout
 * running unseen, and would wait behind the flood); instead a connection beyond the cap, or
 * beyond its address's share of it, takes the place of another by metrics_fair's rule
 * (victim_for), or is closed when none may go. So a client that sends its request at once is
 * never pushed out by connections that send nothing, even from its own address. A connection
 * must deliver its request within METRICS_HEAD_TIMEOUT_MS (or RequestTimeout when shorter),
 * so an idle one holds a place for two seconds at most. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "clock.h"
#include "journal.h"
#include "metrics.h"
#include "metrics_accept.h"
#include "metrics_fair.h"
#include "metrics_listen.h"
#include "metrics_scrape.h"
#include "xmalloc.h"

#define HEADERS_BYTES_MAX 8192
#define ALL_METHODS                                                                                \
	(EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | \
	 EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH)

struct connection {
	struct metrics_server *server;
	struct bufferevent *bev;         /* a reference is held until bound */
	struct evhttp_connection *evcon; /* NULL until bound */
	struct metrics_scrape *queued;   /* its request, until its answer is handed to evhttp */
	struct event *deadline;
	struct evbuffer_cb_entry *input_cb; /* sets began */
	int64_t accepted_ms;
	bool began;     /* a byte of its request arrived: not idle */
	bool requested; /* a whole request arrived: RequestTimeout applies, never evicted */
	bool admitted;  /* its address is known and it was given its place */
	struct metrics_peer peer;
	TAILQ_ENTRY(connection) link;
};

struct metrics_server {
	struct event_base *base;
	struct evhttp *http;
	struct metrics_options opts;
	struct metrics_accept accept; /* the listening sockets */
	TAILQ_HEAD(, connection) connections;
	int n_connections;
	int n_unbound;
	struct metrics_scrapes *scrapes;
	struct event *bind_next;
	metrics_other_cb *other; /* every other path (the pages), or NULL */
	void *other_arg;
};

/* ---- connections ---------------------------------------------------------------------- */

/* conn->bev is NULL when evhttp freed it without telling (metrics_server_free). */
static void drop_connection(struct connection *conn)
{
	struct metrics_server *server = conn->server;
	if (conn->bev != NULL)
		evbuffer_remove_cb_entry(bufferevent_get_input(conn->bev), conn->input_cb);
	if (conn->evcon == NULL) {
		server->n_unbound--;
		bufferevent_decref(conn->bev);
	}
	if (conn->queued != NULL) {
		struct evhttp_request *req = metrics_scrapes_remove(server->scrapes, conn->queued);
		/* evhttp keeps a request it handed us and lost the client of (evcon NULL) for us
		 * to free; one still on its connection goes with it. */
		if (evhttp_request_get_connection(req) == NULL)
			evhttp_request_free(req);
	}
	TAILQ_REMOVE(&server->connections, conn, link);
	server->n_connections--;
	event_free(conn->deadline);
	free(conn);
	metrics_accept_update(&server->accept);
}

static void connection_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	drop_connection(arg);
}

static int peer_count(const struct metrics_server *server, const struct metrics_peer *peer)
{
	int n = 0;
	const struct connection *c;
	TAILQ_FOREACH(c, &server->connections, link)
	n += c->admitted && metrics_peer_same(&c->peer, peer);
	return n;
}

static int admitted_count(const struct metrics_server *server)
{
	int n = 0;
	const struct connection *c;
	TAILQ_FOREACH(c, &server->connections, link)
	n += c->admitted;
	return n;
}

static void input_arrived(struct evbuffer *input, const struct evbuffer_cb_info *info, void *arg)
{
	(void)input;
	if (info->n_added > 0)
		((struct connection *)arg)->began = true;
}

/* Bytes evhttp has not read yet count too: the request is on its way. */
static enum metrics_progress progress_of(struct connection *conn)
{
	if (conn->requested)
		return METRICS_REQUESTED;
	if (!conn->began && metrics_fair_input_waiting(bufferevent_getfd(conn->bev)))
		conn->began = true;
	return conn->began ? METRICS_TALKING : METRICS_SILENT;
}

/* The connection to close for conn's sake (metrics_fair_may_evict says which may go), of
 * conn's own address when same_peer, else of any: the least advanced first (silent before
 * talking), then of the address holding the most (the flood, not a lone scraper), then the
 * oldest. NULL when none may go. */
static struct connection *victim_for(struct metrics_server *server, struct connection *conn,
                                     bool same_peer)
{
	enum metrics_progress mine = progress_of(conn);
	enum metrics_progress best_progress = METRICS_REQUESTED;
	int64_t now = clock_monotonic_ms();
	struct connection *c, *best = NULL;
	int best_count = 0;
	TAILQ_FOREACH(c, &server->connections, link)
	{
		if (c == conn || !c->admitted ||
		    (same_peer && !metrics_peer_same(&c->peer, &conn->peer)))
			continue;
		enum metrics_progress progress = progress_of(c);
		if (!metrics_fair_may_evict(mine, progress, now - c->accepted_ms))
			continue;
		int count = same_peer ? 0 : peer_count(server, &c->peer);
		if (best == NULL || progress < best_progress ||
		    (progress == best_progress && count > best_count)) {
			best = c;
			best_progress = progress;
			best_count = count;
		}
	}
	return best;
}

/* Makes room for conn if its address is over its share or the server over the cap (idle
 * connections give way, victim_for), or closes conn when none is idle. false when conn was
 * closed. */
static bool admit(struct connection *conn)
{
	struct metrics_server *server = conn->server;
	if (conn->admitted)
		return true;
	metrics_peer_of(bufferevent_getfd(evhttp_connection_get_bufferevent(conn->evcon)),
	                &conn->peer);
	conn->admitted = true;
	int share = metrics_fair_share(server->opts.max_connections);
	for (int pass = 0; pass < 2; pass++) {
		bool over = pass == 0 ? peer_count(server, &conn->peer) > share
		                      : admitted_count(server) > server->opts.max_connections;
		if (!over)
			continue;
		struct connection *victim = victim_for(server, conn, pass == 0);
		if (victim == NULL && conn->requested)
			return true; /* its request is being handled: over the cap for a moment */
		/* evhttp_connection_free calls connection_closed, which drops the record */
		evhttp_connection_free(victim ? victim->evcon : conn->evcon);
		if (victim == NULL)
			return false;
	}
	return true;
}

/* Binds conn to evhttp's connection; false when evhttp has already freed it (a client that
 * connected and left at once) or it found no place (admit): then conn is dropped. */
static bool bind_connection(struct connection *conn)
{
	void (*eventcb)(struct bufferevent *, short, void *);
	void *evcon;

	if (conn->evcon != NULL)
		return true;
	bufferevent_getcb(conn->bev, NULL, NULL, &eventcb, &evcon);
	if (eventcb == NULL) { /* bufferevent_free clears the callbacks */
		drop_connection(conn);
		return false;
	}
	conn->evcon = evcon;
	conn->server->n_unbound--;
	evhttp_connection_set_closecb(conn->evcon, connection_closed, conn);
	bufferevent_decref(conn->bev);
	return admit(conn);
}

/* Binding one may close others (admit): look for the next unbound one afresh each time. */
static void bind_next(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_server *server = arg;
	while (server->n_unbound > 0) {
		struct connection *conn;
		TAILQ_FOREACH(conn, &server->connections, link)
		if (conn->evcon == NULL)
			break;
		if (conn == NULL)
			return;
		bind_connection(conn);
	}
}

static void connection_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct connection *conn = arg;
	if (!bind_connection(conn))
		return;
	if (conn->queued != NULL && !metrics_scrapes_answering(conn->queued)) {
		struct evhttp_request *req =
		    metrics_scrapes_remove(conn->server->scrapes, conn->queued);
		conn->queued = NULL;
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
		metrics_reply_text(req, HTTP_SERVUNAVAIL, "Service Unavailable",
		                   "Too busy; retry.\n");
		return; /* the write is bounded by evhttp's timeout */
	}
	evhttp_connection_free(conn->evcon); /* calls connection_closed */
}

static struct bufferevent *new_connection(struct event_base *base, void *arg)
{
	struct metrics_server *server = arg;
	struct connection *conn = xcalloc(1, sizeof(*conn));
	int64_t head_ms = server->opts.request_timeout_ms < METRICS_HEAD_TIMEOUT_MS
	                      ? server->opts.request_timeout_ms
	                      : METRICS_HEAD_TIMEOUT_MS;
	struct timeval limit = clock_timeval_ms(head_ms);
	struct timeval soon = {0, 0};

	conn->server = server;
	conn->accepted_ms = clock_monotonic_ms();
	conn->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_incref(conn->bev); /* alive until bound, whatever evhttp does meanwhile */
	conn->input_cb = evbuffer_add_cb(bufferevent_get_input(conn->bev), input_arrived, conn);
	conn->deadline = evtimer_new(base, connection_deadline, conn);
	evtimer_add(conn->deadline, &limit);
	TAILQ_INSERT_TAIL(&server->connections, conn, link);
	server->n_connections++;
	server->n_unbound++;
	evtimer_add(server->bind_next, &soon);
	metrics_accept_update(&server->accept);
	return conn->bev;
}

/* ---- requests ------------------------------------------------------------------------- */

/* The request is whole: from now on only RequestTimeout (from accept) bounds it. */
static void request_arrived(struct connection *conn)
{
	if (conn->requested)
		return;
	conn->requested = true;
	int64_t left =
	    conn->accepted_ms + conn->server->opts.request_timeout_ms - clock_monotonic_ms();
	struct timeval limit = clock_timeval_ms(left > 0 ? left : 0);
	evtimer_add(conn->deadline, &limit);
}

/* The record of req's connection, marked as having its request (so admit never closes it
 * under the request), bound; NULL when untracked. */
static struct connection *connection_of(struct metrics_server *server, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	struct connection *conn;
	TAILQ_FOREACH(conn, &server->connections, link)
	if (conn->evcon == evcon || (conn->evcon == NULL && conn->bev == bev)) {
		request_arrived(conn);
		return bind_connection(conn) ? conn : NULL;
	}
	return NULL;
}

static void handle_request(struct evhttp_request *req, void *arg)
{
	struct metrics_server *server = arg;
	struct connection *conn = connection_of(server, req);

	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (server->other && (path == NULL || strcmp(path, "/metrics") != 0)) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		server->other(server->other_arg, req);
		return;
	}
	if (metrics_route(req))
		return;
	if (conn == NULL) {
		metrics_reply_text(req, HTTP_INTERNAL, "Internal Server Error",
		                   "Connection not tracked.\n");
	} else {
		metrics_scrapes_add(server->scrapes, req, &conn->queued);
	}
}

/* ---- the server ----------------------------------------------------------------------- */

static struct evhttp *new_http(struct metrics_server *server)
{
	struct evhttp *http = evhttp_new(server->base);
	evhttp_set_allowed_methods(http, ALL_METHODS); /* 405 from us, not 501 from evhttp */
	evhttp_set_max_headers_size(http, HEADERS_BYTES_MAX);
	evhttp_set_max_body_size(http, 0);
	evhttp_set_gencb(http, handle_request, server);
	evhttp_set_bevcb(http, new_connection, server);
	return http;
}

struct metrics_server *metrics_server_new(struct event_base *base, metrics_render_cb *render,
                                          void *arg)
{
	struct metrics_server *server = xcalloc(1, sizeof(*server));
	server->base = base;
	server->scrapes = metrics_scrapes_new(base, render, arg);
	TAILQ_INIT(&server->connections);
	server->bind_next = evtimer_new(base, bind_next, server);
	server->http = new_http(server);
	metrics_accept_init(&server->accept, base, server->http);
	return server;
}

int metrics_server_configure(struct metrics_server *server, const struct metrics_options *opts,
                             char *err, size_t err_size)
{
	if (metrics_accept_configure(&server->accept, &opts->listen, err, err_size) < 0)
		return -1;
	server->opts = *opts;
	evhttp_set_timeout(server->http, (int)((opts->request_timeout_ms + 999) / 1000));
	return 0;
}

void metrics_server_describe(const struct metrics_server *server, char *buf, size_t size)
{
	if (server == NULL) {
		metrics_accept_describe(NULL, buf, size);
		return;
	}
	metrics_accept_describe(&server->accept, buf, size);
}

void metrics_server_set_other(struct metrics_server *server, metrics_other_cb *handle, void *arg)
{
	server->other = handle;
	server->other_arg = arg;
}

void metrics_server_free(struct metrics_server *server)
{
	if (server == NULL)
		return;
	server->accept.n_listeners = 0;   /* evhttp_free closes them first */
	server->opts.max_connections = 0; /* nothing to resume */
	evhttp_free(server->http);        /* bound connections leave through their close cb */
	struct connection *conn;
	while ((conn = TAILQ_FIRST(&server->connections)) != NULL) {
		if (conn->evcon != NULL)
			conn->bev = NULL; /* freed with its connection */
		drop_connection(conn);
	}
	metrics_scrapes_free(server->scrapes); /* no scrape waits: their connections are gone */
	event_free(server->bind_next);
	metrics_accept_free(&server->accept);
	free(server);
}
