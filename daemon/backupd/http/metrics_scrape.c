/* SPDX-License-Identifier: ISC */
/* Scrapes answered together, bodies sent by reference under a cap on bytes in flight; a
 * scraper that accepts gzip gets the body's compressed form (metrics_gzip.c), made once per
 * render for all of them.
 *
 * Writing is bounded per loop turn by libevent: a bufferevent writes at most 16 kB
 * (MAX_TO_WRITE_EVER) each time its socket is writable, so a 5 MB body, even sent to 100
 * scrapers, never holds the loop. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "metrics_gzip.h"
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
	bool gzip;                       /* the scraper accepts it */
	bool compressing;                /* in gz_waiting, not in queue */
	TAILQ_ENTRY(metrics_scrape) link;
};
TAILQ_HEAD(scrape_list, metrics_scrape);

struct metrics_scrapes {
	struct event_base *base;
	struct scrape_list queue;      /* waiting for a render */
	struct scrape_list gz_waiting; /* waiting for the compression under way */
	struct metrics_gzip *gz_job;   /* at most one at a time: later gzip scrapes queue */
	struct body *gz_body;          /* what gz_job compresses (it holds a reader's place) */
	struct event *render_next;
	struct budget *budget;
	size_t last_body_bytes;
	metrics_render_cb *render;
	void *render_arg;
};

/* One rendered body, sent by reference to every scrape that waited for it, and its gzip form
 * when a waiting scraper accepted that. */
struct body {
	char *data;
	size_t length;
	char *gz;
	size_t gz_length;
	unsigned readers; /* responses not yet sent */
	struct budget *budget;
};

static void body_sent(const void *data, size_t length, void *arg)
{
	(void)data, (void)length;
	struct body *body = arg;
	if (--body->readers > 0)
		return;
	body->budget->in_flight -= body->length + body->gz_length;
	if (--body->budget->users == 0)
		free(body->budget);
	free(body->data);
	free(body->gz);
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

/* gz: the compressed form, else the text as rendered. */
static void send_body(struct evhttp_request *req, struct body *body, bool gz)
{
	struct evbuffer *buffer = evbuffer_new();
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	/* By reference: the rendered bytes are sent as they are, never copied. */
	evbuffer_add_reference(buffer, gz ? body->gz : body->data,
	                       gz ? body->gz_length : body->length, body_sent, body);
	evhttp_add_header(headers, "Content-Type", METRICS_CONTENT_TYPE);
	evhttp_add_header(headers, "Vary", "Accept-Encoding");
	if (gz)
		evhttp_add_header(headers, "Content-Encoding", "gzip");
	evhttp_send_reply(req, HTTP_OK, "OK", buffer);
	evbuffer_free(buffer);
}

static void schedule_render(struct metrics_scrapes *scrapes)
{
	if (!evtimer_pending(scrapes->render_next, NULL)) {
		struct timeval now = {0, 0};
		evtimer_add(scrapes->render_next, &now);
	}
}

/* The compression ended: its scrapes get the gzip form (or the text when zlib failed: it is
 * always acceptable), then the job's place among the body's readers is given up. */
static void gz_done(void *arg, char *data, size_t length)
{
	struct metrics_scrapes *scrapes = arg;
	struct body *body = scrapes->gz_body;
	struct metrics_scrape *entry;
	scrapes->gz_job = NULL;
	scrapes->gz_body = NULL;
	body->gz = data;
	body->gz_length = data ? length : 0;
	body->budget->in_flight += body->gz_length;
	while ((entry = TAILQ_FIRST(&scrapes->gz_waiting)) != NULL) {
		TAILQ_REMOVE(&scrapes->gz_waiting, entry, link);
		*entry->waiting = NULL;
		body->readers++;
		send_body(entry->req, body, data != NULL);
		free(entry);
	}
	body_sent(NULL, 0, body);
	if (!TAILQ_EMPTY(&scrapes->queue))
		schedule_render(scrapes);
}

/* The waiting gzip scrapes wait for body's compression, which holds a reader's place (taken
 * at the render, so a plain answer failing at once cannot free the body before). */
static void start_gzip(struct metrics_scrapes *scrapes, struct body *body)
{
	scrapes->gz_body = body;
	scrapes->gz_job =
	    metrics_gzip_start(scrapes->base, body->data, body->length, gz_done, scrapes);
	if (scrapes->gz_job == NULL)
		gz_done(scrapes, NULL, 0);
}

static void answer_busy(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
	metrics_reply_text(req, HTTP_SERVUNAVAIL, "Service Unavailable",
	                   "Too many scrapes in flight; retry.\n");
}

/* Runs once per loop iteration with scrapes waiting: one render answers all of them, so a
 * burst costs one render, not one each, and the loop polls again right after. The budget
 * is checked here, not on arrival: a burst arrives before the first render. gzip scrapes
 * that arrive while a compression is under way wait for the next render after it. */
static void render_next(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_scrapes *scrapes = arg;
	struct metrics_scrape *entry, *next;
	unsigned plain = 0, gz = 0;
	bool gz_busy = scrapes->gz_job != NULL;
	bool over = scrapes->budget->in_flight + scrapes->last_body_bytes > BYTES_IN_FLIGHT_MAX;

	TAILQ_FOREACH(entry, &scrapes->queue, link)
	{
		plain += !entry->gzip;
		gz += entry->gzip && !gz_busy;
	}
	if (plain + gz == 0)
		return;
	struct body *body = over ? NULL : render_body(scrapes, plain + (gz > 0));
	for (entry = TAILQ_FIRST(&scrapes->queue); entry != NULL; entry = next) {
		next = TAILQ_NEXT(entry, link);
		if (entry->gzip && gz_busy)
			continue;
		TAILQ_REMOVE(&scrapes->queue, entry, link);
		if (body != NULL && entry->gzip) {
			entry->compressing = true;
			TAILQ_INSERT_TAIL(&scrapes->gz_waiting, entry, link);
			continue;
		}
		*entry->waiting = NULL;
		if (body != NULL)
			send_body(entry->req, body, false);
		else
			answer_busy(entry->req);
		free(entry);
	}
	if (body != NULL && gz > 0)
		start_gzip(scrapes, body);
}

void metrics_scrapes_add(struct metrics_scrapes *scrapes, struct evhttp_request *req,
                         struct metrics_scrape **waiting)
{
	struct metrics_scrape *entry = xcalloc(1, sizeof(*entry));
	entry->req = req;
	entry->waiting = waiting;
	entry->gzip = metrics_gzip_accepted(
	    evhttp_find_header(evhttp_request_get_input_headers(req), "Accept-Encoding"));
	*waiting = entry;
	TAILQ_INSERT_TAIL(&scrapes->queue, entry, link);
	schedule_render(scrapes);
}

struct evhttp_request *metrics_scrapes_remove(struct metrics_scrapes *scrapes,
                                              struct metrics_scrape *entry)
{
	struct evhttp_request *req = entry->req;
	TAILQ_REMOVE(entry->compressing ? &scrapes->gz_waiting : &scrapes->queue, entry, link);
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
	scrapes->base = base;
	TAILQ_INIT(&scrapes->queue);
	TAILQ_INIT(&scrapes->gz_waiting);
	scrapes->render_next = evtimer_new(base, render_next, scrapes);
	return scrapes;
}

void metrics_scrapes_free(struct metrics_scrapes *scrapes)
{
	event_free(scrapes->render_next);
	if (scrapes->gz_job != NULL) {
		metrics_gzip_cancel(scrapes->gz_job);
		body_sent(NULL, 0, scrapes->gz_body);
	}
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
		evhttp_add_header(headers, "Vary", "Accept-Encoding");
		if (metrics_gzip_accepted(evhttp_find_header(evhttp_request_get_input_headers(req),
		                                             "Accept-Encoding")))
			evhttp_add_header(headers, "Content-Encoding", "gzip");
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
	} else {
		return false;
	}
	return true;
}
