/* SPDX-License-Identifier: ISC */
/* Scrapes answered together, bodies sent by reference under a cap on bytes in flight. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "metrics_scrape.h"
#include "xmalloc.h"

#define BYTES_IN_FLIGHT_MAX (64u << 20) /* rendered bodies not yet sent to every reader */
#define CONTENT_TYPE_TEXT   "text/plain; charset=utf-8"

/* Response bytes handed to evhttp and not yet sent. Shared with the bodies' cleanup, which
 * may run after the server is gone (bufferevents are freed by deferred finalizers). */
struct budget {
	size_t in_flight;
	unsigned users; /* the scrapes and every body not yet sent */
};

struct metrics_scrape {
	struct evhttp_request *req;
	struct metrics_scrape **waiting; /* the owner's pointer to this entry */
	TAILQ_ENTRY(metrics_scrape) link;
};

struct metrics_scrapes {
	TAILQ_HEAD(, metrics_scrape) queue;
	struct event *render_next;
	struct budget *budget;
	size_t last_body_bytes;
	metrics_render_cb *render;
	void *render_arg;
};

/* One rendered body, sent by reference to every scrape that waited for it. */
struct body {
	char *data;
	size_t length;
	unsigned readers; /* responses not yet sent */
	struct budget *budget;
};

static void body_sent(const void *data, size_t length, void *arg)
{
	(void)data, (void)length;
	struct body *body = arg;
	if (--body->readers > 0)
		return;
	body->budget->in_flight -= body->length;
	if (--body->budget->users == 0)
		free(body->budget);
	free(body->data);
	free(body);
}

void metrics_reply_text(struct evhttp_request *req, int code, const char *reason, const char *text)
{
	struct evbuffer *body = evbuffer_new();
	evbuffer_add(body, text, strlen(text));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	                  CONTENT_TYPE_TEXT);
	evhttp_send_reply(req, code, reason, body);
	evbuffer_free(body);
}

static struct body *render_body(struct metrics_scrapes *scrapes, unsigned readers)
{
	struct metrics_text text;
	struct body *body = xcalloc(1, sizeof(*body));

	metrics_text_init(&text, scrapes->last_body_bytes + 4096);
	scrapes->render(scrapes->render_arg, &text);
	body->data = metrics_text_take(&text, &body->length);
	body->readers = readers;
	body->budget = scrapes->budget;
	scrapes->last_body_bytes = body->length;
	scrapes->budget->in_flight += body->length;
	scrapes->budget->users++;
	return body;
}

static void send_body(struct evhttp_request *req, struct body *body)
{
	struct evbuffer *buffer = evbuffer_new();
	/* By reference: the rendered bytes are sent as they are, never copied. */
	evbuffer_add_reference(buffer, body->data, body->length, body_sent, body);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	                  METRICS_CONTENT_TYPE);
	evhttp_send_reply(req, HTTP_OK, "OK", buffer);
	evbuffer_free(buffer);
}

/* Runs once per loop iteration with scrapes waiting: one render answers all of them, so a
 * burst costs one render, not one each, and the loop polls again right after. The budget
 * is checked here, not on arrival: a burst arrives before the first render. */
static void render_next(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_scrapes *scrapes = arg;
	struct metrics_scrape *entry;
	unsigned waiting = 0;
	bool over = scrapes->budget->in_flight + scrapes->last_body_bytes > BYTES_IN_FLIGHT_MAX;

	TAILQ_FOREACH(entry, &scrapes->queue, link)
	waiting++;
	struct body *body = waiting > 0 && !over ? render_body(scrapes, waiting) : NULL;
	while ((entry = TAILQ_FIRST(&scrapes->queue)) != NULL) {
		TAILQ_REMOVE(&scrapes->queue, entry, link);
		*entry->waiting = NULL;
		if (body != NULL) {
			send_body(entry->req, body);
		} else {
			evhttp_add_header(evhttp_request_get_output_headers(entry->req),
			                  "Retry-After", "1");
			metrics_reply_text(entry->req, HTTP_SERVUNAVAIL, "Service Unavailable",
			                   "Too many scrapes in flight; retry.\n");
		}
		free(entry);
	}
}

void metrics_scrapes_add(struct metrics_scrapes *scrapes, struct evhttp_request *req,
                         struct metrics_scrape **waiting)
{
	struct metrics_scrape *entry = xcalloc(1, sizeof(*entry));
	entry->req = req;
	entry->waiting = waiting;
	*waiting = entry;
	TAILQ_INSERT_TAIL(&scrapes->queue, entry, link);
	if (!evtimer_pending(scrapes->render_next, NULL)) {
		struct timeval now = {0, 0};
		evtimer_add(scrapes->render_next, &now);
	}
}

struct evhttp_request *metrics_scrapes_remove(struct metrics_scrapes *scrapes,
                                              struct metrics_scrape *entry)
{
	struct evhttp_request *req = entry->req;
	TAILQ_REMOVE(&scrapes->queue, entry, link);
	free(entry);
	return req;
}

struct metrics_scrapes *metrics_scrapes_new(struct event_base *base, metrics_render_cb *render,
                                            void *arg)
{
	struct metrics_scrapes *scrapes = xcalloc(1, sizeof(*scrapes));
	scrapes->render = render;
	scrapes->render_arg = arg;
	scrapes->budget = xcalloc(1, sizeof(*scrapes->budget));
	scrapes->budget->users = 1;
	TAILQ_INIT(&scrapes->queue);
	scrapes->render_next = evtimer_new(base, render_next, scrapes);
	return scrapes;
}

void metrics_scrapes_free(struct metrics_scrapes *scrapes)
{
	event_free(scrapes->render_next);
	if (--scrapes->budget->users == 0)
		free(scrapes->budget);
	free(scrapes);
}

bool metrics_route(struct evhttp_request *req)
{
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);

	evhttp_add_header(headers, "Connection", "close");
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		metrics_reply_text(req, HTTP_NOTFOUND, "Not Found",
		                   "Not found: backupd serves /metrics only.\n");
	} else if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
		evhttp_add_header(headers, "Allow", "GET, HEAD");
		metrics_reply_text(req, HTTP_BADMETHOD, "Method Not Allowed",
		                   "Only GET and HEAD.\n");
	} else if (method == EVHTTP_REQ_HEAD) {
		evhttp_add_header(headers, "Content-Type", METRICS_CONTENT_TYPE);
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
	} else {
		return false;
	}
	return true;
}
