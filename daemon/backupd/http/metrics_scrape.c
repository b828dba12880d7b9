/* SPDX-License-Identifier: ISC */
/* Scrapes answered together, bodies sent by reference under a cap on bytes in flight; a
 * scraper that accepts gzip gets the body's compressed form (metrics_gzip.c), made once per
 * render for all of them. Every step is bounded per loop turn: the render is written in parts
 * (metrics_render_part), the compression in slices, and the answers a slice at a time by a
 * bounded number of writers (metrics_stream.c). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "metrics_gzip.h"
#include "metrics_scrape.h"
#include "metrics_stream.h"
#include "trace_env.h"
#include "xmalloc.h"

#define BYTES_IN_FLIGHT_MAX (64u << 20) /* rendered bodies not yet sent to every reader */
#define CONTENT_TYPE_TEXT   "text/plain; charset=utf-8"

/* Rendered bytes not yet sent to every reader. Shared with the bodies' cleanup, which may
 * run after the server is gone (bufferevents are freed by deferred finalizers). */
struct budget {
	size_t in_flight;
	unsigned users; /* the scrapes and every body not yet sent */
	/* The last sent body's buffer, kept for the next render: fresh pages cost a fault each,
	 * some 2 ms over a 5 MB body, and one family's share of them held the loop. */
	char *spare;
	size_t spare_capacity;
};

static void budget_release(struct budget *budget)
{
	if (--budget->users > 0)
		return;
	free(budget->spare);
	free(budget);
}

/* Which list a waiting scrape is on. */
enum scrape_wait { WAIT_RENDER, WAIT_PARTS, WAIT_GZIP, WAIT_STREAM };

struct metrics_scrape {
	struct evhttp_request *req;
	struct metrics_scrape **waiting; /* the owner's pointer to this entry */
	bool gzip;                       /* the scraper accepts it */
	enum scrape_wait on;
	struct body *body;             /* WAIT_STREAM: its answer; it holds a reader's place */
	bool send_gz;                  /* WAIT_STREAM: the answer is the body's gzip form */
	struct metrics_stream *stream; /* WAIT_STREAM: the answer being written */
	struct metrics_scrapes *scrapes;
	TAILQ_ENTRY(metrics_scrape) link;
};
TAILQ_HEAD(scrape_list, metrics_scrape);

/* The render being written, a part per loop turn, and the scrapes it will answer. */
struct rendering {
	bool under_way;
	struct metrics_text text;
	struct metrics_render_cursor cursor;
	int parts;
	struct scrape_list scrapes;
};

struct metrics_scrapes {
	struct event_base *base;
	struct scrape_list queue;        /* waiting for a render to start */
	struct rendering rendering;      /* at most one at a time: it takes the queue when done */
	struct scrape_list gz_waiting;   /* waiting for the compression under way */
	struct metrics_gzip *gz_job;     /* at most one at a time, and no render meanwhile */
	struct body *gz_body;            /* what gz_job compresses (it holds a reader's place) */
	struct metrics_streams *streams; /* the answers being written */
	struct event *render_next;
	struct budget *budget;
	size_t last_body_bytes;
	metrics_render_cb *render;
	void *render_arg;
	bool trace; /* BACKUPD_TRACE: a line per render */
};

/* One rendered body, sent by reference to every scrape that waited for it, and its gzip form
 * when a waiting scraper accepted that. */
struct body {
	char *data;
	size_t length, capacity;
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
	struct budget *budget = body->budget;
	budget->in_flight -= body->length + body->gz_length;
	if (budget->spare == NULL) {
		budget->spare = body->data;
		budget->spare_capacity = body->capacity;
	} else {
		free(body->data);
	}
	budget_release(budget);
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

/* The finished text becomes a body its readers share; the caller holds the first reader's
 * place and gives it up with body_sent. */
static struct body *take_body(struct metrics_scrapes *scrapes)
{
	struct body *body = xcalloc(1, sizeof(*body));
	body->capacity = scrapes->rendering.text.capacity;
	body->data = metrics_text_take(&scrapes->rendering.text, &body->length);
	body->readers = 1;
	body->budget = scrapes->budget;
	scrapes->last_body_bytes = body->length;
	scrapes->budget->in_flight += body->length;
	scrapes->budget->users++;
	return body;
}

static void body_hold(void *arg)
{
	struct body *body = arg;
	body->readers++;
}

/* The answer is the connection's: the entry gives its place among the body's readers up. */
static void answer_handed(void *arg)
{
	struct metrics_scrape *entry = arg;
	*entry->waiting = NULL;
	body_sent(NULL, 0, entry->body);
	free(entry);
}

/* The head of a /metrics answer, to GET and HEAD alike. */
static void add_answer_headers(struct evhttp_request *req, bool gz)
{
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	evhttp_add_header(headers, "Content-Type", METRICS_CONTENT_TYPE);
	evhttp_add_header(headers, "Vary", "Accept-Encoding");
	if (gz)
		evhttp_add_header(headers, "Content-Encoding", "gzip");
}

static void answer_head(struct evhttp_request *req, void *arg)
{
	struct metrics_scrape *entry = arg;
	add_answer_headers(req, entry->send_gz);
}

/* entry's answer is body (its gzip form when gz), by reference, a slice at a time; the entry
 * holds a reader's place until the last slice is handed over. */
static void start_answer(struct metrics_scrape *entry, struct body *body, bool gz)
{
	static const struct metrics_stream_calls calls = {answer_head, answer_handed};
	struct metrics_stream_body stream_body = {gz ? body->gz : body->data,
	                                          gz ? body->gz_length : body->length, body_hold,
	                                          body_sent, body};
	body->readers++;
	entry->body = body;
	entry->send_gz = gz;
	entry->on = WAIT_STREAM;
	entry->stream =
	    metrics_stream_start(entry->scrapes->streams, entry->req, &stream_body, &calls, entry);
}

static void schedule_render(struct metrics_scrapes *scrapes)
{
	if (!evtimer_pending(scrapes->render_next, NULL)) {
		struct timeval now = {0, 0}; /* after the loop has polled */
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
		start_answer(entry, body, data != NULL);
	}
	body_sent(NULL, 0, body);
}

/* The waiting gzip scrapes wait for body's compression, which takes over the render's place
 * among the body's readers (so the plain answers, sent first, cannot free it before). */
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

/* The render's text starts on the spare buffer when there is one. */
static void start_text(struct metrics_scrapes *scrapes)
{
	struct budget *budget = scrapes->budget;
	if (budget->spare != NULL) {
		metrics_text_init_on(&scrapes->rendering.text, budget->spare,
		                     budget->spare_capacity);
		budget->spare = NULL;
	} else {
		metrics_text_init(&scrapes->rendering.text, scrapes->last_body_bytes + 4096);
	}
}

/* Moves the queued scrapes onto the render's list. No render runs while a compression is
 * under way: the scrapes that arrive then are answered from the body being compressed. */
static void join_render(struct metrics_scrapes *scrapes)
{
	struct metrics_scrape *entry;
	while ((entry = TAILQ_FIRST(&scrapes->queue)) != NULL) {
		TAILQ_REMOVE(&scrapes->queue, entry, link);
		entry->on = WAIT_PARTS;
		TAILQ_INSERT_TAIL(&scrapes->rendering.scrapes, entry, link);
	}
}

/* Starts a render for the queued scrapes it can answer. With too many rendered bytes not yet
 * sent, they get 503 instead, and none starts. The budget is checked here, not on arrival: a
 * burst arrives before the first render. */
static bool start_render(struct metrics_scrapes *scrapes)
{
	struct rendering *rendering = &scrapes->rendering;
	struct metrics_scrape *entry;

	join_render(scrapes);
	if (TAILQ_EMPTY(&rendering->scrapes))
		return false;
	if (scrapes->budget->in_flight + scrapes->last_body_bytes > BYTES_IN_FLIGHT_MAX) {
		while ((entry = TAILQ_FIRST(&rendering->scrapes)) != NULL) {
			TAILQ_REMOVE(&rendering->scrapes, entry, link);
			*entry->waiting = NULL;
			answer_busy(entry->req);
			free(entry);
		}
		return false;
	}
	start_text(scrapes);
	rendering->cursor = (struct metrics_render_cursor){0};
	rendering->parts = 0;
	rendering->under_way = true;
	return true;
}

/* The body is whole: the plain scrapes waiting get it, those that arrived while it was
 * written too (it is a few milliseconds old at most), and the gzip ones wait for its
 * compression. A body nobody waits for any more is dropped. */
static void finish_render(struct metrics_scrapes *scrapes)
{
	struct rendering *rendering = &scrapes->rendering;
	struct metrics_scrape *entry;
	unsigned plain = 0, gz = 0;

	rendering->under_way = false;
	join_render(scrapes);
	TAILQ_FOREACH(entry, &rendering->scrapes, link)
	{
		plain += !entry->gzip;
		gz += entry->gzip;
	}
	if (scrapes->trace)
		fprintf(stderr,
		        "backupd-trace metrics render parts=%d bytes=%zu work_ms=%.2f plain=%u "
		        "gzip=%u\n",
		        rendering->parts, rendering->text.length,
		        (double)rendering->cursor.work_ns / 1e6, plain, gz);
	if (plain + gz == 0) {
		metrics_text_free(&rendering->text);
		return;
	}
	struct body *body = take_body(scrapes);
	while ((entry = TAILQ_FIRST(&rendering->scrapes)) != NULL) {
		TAILQ_REMOVE(&rendering->scrapes, entry, link);
		if (entry->gzip) {
			entry->on = WAIT_GZIP;
			TAILQ_INSERT_TAIL(&scrapes->gz_waiting, entry, link);
		} else {
			start_answer(entry, body, false);
		}
	}
	if (gz > 0)
		start_gzip(scrapes, body);
	else
		body_sent(NULL, 0, body);
}

/* One part of the render per loop turn (the loop polls between them), starting one when
 * scrapes wait: a render answers every scrape waiting when it ends, so a burst costs one
 * render, not one each. */
static void render_next(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_scrapes *scrapes = arg;
	struct rendering *rendering = &scrapes->rendering;

	if (!rendering->under_way && !start_render(scrapes))
		return;
	rendering->parts++;
	if (!scrapes->render(scrapes->render_arg, &rendering->text, &rendering->cursor)) {
		schedule_render(scrapes);
		return;
	}
	finish_render(scrapes);
	if (!TAILQ_EMPTY(&scrapes->queue))
		schedule_render(scrapes);
}

void metrics_scrapes_add(struct metrics_scrapes *scrapes, struct evhttp_request *req,
                         struct metrics_scrape **waiting)
{
	struct metrics_scrape *entry = xcalloc(1, sizeof(*entry));
	entry->req = req;
	entry->waiting = waiting;
	entry->scrapes = scrapes;
	entry->gzip = metrics_gzip_accepted(
	    evhttp_find_header(evhttp_request_get_input_headers(req), "Accept-Encoding"));
	*waiting = entry;
	if (scrapes->gz_job != NULL) {
		/* The body being compressed is some milliseconds old: it answers this one too. */
		if (entry->gzip) {
			entry->on = WAIT_GZIP;
			TAILQ_INSERT_TAIL(&scrapes->gz_waiting, entry, link);
		} else {
			start_answer(entry, scrapes->gz_body, false);
		}
		return;
	}
	entry->on = WAIT_RENDER;
	TAILQ_INSERT_TAIL(&scrapes->queue, entry, link);
	if (!scrapes->rendering.under_way)
		schedule_render(scrapes);
}

bool metrics_scrapes_answering(const struct metrics_scrape *entry)
{
	return entry->on == WAIT_STREAM && metrics_stream_started(entry->stream);
}

struct evhttp_request *metrics_scrapes_remove(struct metrics_scrapes *scrapes,
                                              struct metrics_scrape *entry)
{
	struct evhttp_request *req = entry->req;
	struct scrape_list *lists[] = {[WAIT_RENDER] = &scrapes->queue,
	                               [WAIT_PARTS] = &scrapes->rendering.scrapes,
	                               [WAIT_GZIP] = &scrapes->gz_waiting};
	if (entry->on == WAIT_STREAM) {
		metrics_stream_cancel(entry->stream);
		body_sent(NULL, 0, entry->body);
	} else {
		TAILQ_REMOVE(lists[entry->on], entry, link);
	}
	free(entry);
	return req;
}

struct metrics_scrapes *metrics_scrapes_new(struct event_base *base, metrics_render_cb *render,
                                            void *arg)
{
	struct metrics_scrapes *scrapes = xcalloc(1, sizeof(*scrapes));
	scrapes->render = render;
	scrapes->render_arg = arg;
	scrapes->trace = trace_env_on();
	scrapes->budget = xcalloc(1, sizeof(*scrapes->budget));
	scrapes->budget->users = 1;
	scrapes->base = base;
	TAILQ_INIT(&scrapes->queue);
	TAILQ_INIT(&scrapes->gz_waiting);
	TAILQ_INIT(&scrapes->rendering.scrapes);
	scrapes->render_next = evtimer_new(base, render_next, scrapes);
	scrapes->streams = metrics_streams_new(base);
	return scrapes;
}

void metrics_scrapes_free(struct metrics_scrapes *scrapes)
{
	event_free(scrapes->render_next);
	metrics_streams_free(scrapes->streams);
	if (scrapes->rendering.under_way)
		metrics_text_free(&scrapes->rendering.text);
	if (scrapes->gz_job != NULL) {
		metrics_gzip_cancel(scrapes->gz_job);
		body_sent(NULL, 0, scrapes->gz_body);
	}
	budget_release(scrapes->budget);
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
		add_answer_headers(req,
		                   metrics_gzip_accepted(evhttp_find_header(
		                       evhttp_request_get_input_headers(req), "Accept-Encoding")));
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
	} else {
		return false;
	}
	return true;
}
