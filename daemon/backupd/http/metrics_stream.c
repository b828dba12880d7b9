/* SPDX-License-Identifier: ISC */
/* Answers a slice at a time (metrics_stream.h). evhttp calls slice_written once a slice has
 * left the connection's buffer; feed hands the next slices out, once per loop turn. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "clock.h"
#include "metrics_stream.h"
#include "xmalloc.h"

/* A writer whose client read nothing for this long gives its place up; the feeder looks
 * again this often while answers wait for a place. */
#define STALLED_MS 10

struct metrics_stream {
	struct metrics_streams *streams;
	struct evhttp_request *req;
	struct metrics_stream_body body;
	size_t handed;        /* body bytes handed to evhttp */
	bool started;         /* the head and the first slice are handed */
	bool writing;         /* holds a slice not yet written (on writing), else on hungry */
	size_t unwritten_was; /* writing: the connection's unwritten bytes at the last look */
	int64_t moved_ms;     /* writing: when they last shrank, or the slice was handed */
	struct metrics_stream_calls calls;
	void *arg;
	TAILQ_ENTRY(metrics_stream) link;
};
TAILQ_HEAD(stream_list, metrics_stream);

struct metrics_streams {
	struct stream_list hungry;  /* waiting for their next slice, oldest first */
	struct stream_list writing; /* their last slice not written yet */
	struct event *feed;
};

static void schedule_feed(struct metrics_streams *streams, int64_t after_ms)
{
	struct timeval after = clock_timeval_ms(after_ms);
	/* a slice written brings the next look forward; a recheck never pushes one back */
	if (after_ms == 0 || !evtimer_pending(streams->feed, NULL))
		evtimer_add(streams->feed, &after);
}

static size_t unwritten(const struct metrics_stream *stream)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(stream->req);
	if (evcon == NULL)
		return 0;
	return evbuffer_get_length(
	    bufferevent_get_output(evhttp_connection_get_bufferevent(evcon)));
}

static void slice_written(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	struct metrics_stream *stream = arg;
	struct metrics_streams *streams = stream->streams;
	TAILQ_REMOVE(&streams->writing, stream, link);
	stream->writing = false;
	TAILQ_INSERT_TAIL(&streams->hungry, stream, link);
	schedule_feed(streams, 0);
}

/* A slice of the body by reference, holding it; empty (and the hold given back) when
 * libevent is out of memory: the answer then ends short, or at its connection's deadline. */
static struct evbuffer *slice_of(const struct metrics_stream_body *body, size_t from, size_t length)
{
	struct evbuffer *slice = evbuffer_new();
	body->hold(body->arg);
	if (evbuffer_add_reference(slice, body->data + from, length, body->release, body->arg) < 0)
		body->release(body->data + from, length, body->arg);
	return slice;
}

/* The next slice of stream's body to evhttp, after the head for the first. After the last
 * the stream is done and freed before evhttp is told the answer is over: that may free the
 * request and the connection at once. */
static void hand_slice(struct metrics_stream *stream)
{
	struct metrics_streams *streams = stream->streams;
	struct evhttp_request *req = stream->req;
	const struct metrics_stream_body *body = &stream->body;
	size_t left = body->length - stream->handed;
	size_t length = left < METRICS_STREAM_SLICE_BYTES ? left : METRICS_STREAM_SLICE_BYTES;
	struct evbuffer *slice = slice_of(body, stream->handed, length);

	TAILQ_REMOVE(&streams->hungry, stream, link);
	if (!stream->started) {
		char content_length[24];
		snprintf(content_length, sizeof(content_length), "%zu", body->length);
		stream->calls.head(req, stream->arg);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length",
		                  content_length);
		evhttp_send_reply_start(req, HTTP_OK, "OK");
		stream->started = true;
	}
	stream->handed += length;
	if (stream->handed < body->length) {
		evhttp_send_reply_chunk_with_cb(req, slice, slice_written, stream);
		stream->writing = true;
		stream->unwritten_was = unwritten(stream);
		stream->moved_ms = clock_monotonic_ms();
		TAILQ_INSERT_TAIL(&streams->writing, stream, link);
	} else {
		stream->calls.done(stream->arg);
		free(stream);
		evhttp_send_reply_chunk(req, slice);
		evhttp_send_reply_end(req);
	}
	evbuffer_free(slice); /* emptied by evhttp, or releasing what it did not take */
}

/* Counts the places held by answers that are moving (their client read within STALLED_MS),
 * then gives slices to hungry answers, oldest first, while places are free. */
static void feed(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_streams *streams = arg;
	struct metrics_stream *stream;
	int64_t now = clock_monotonic_ms();
	int moving = 0;

	TAILQ_FOREACH(stream, &streams->writing, link)
	{
		size_t unwritten_now = unwritten(stream);
		if (unwritten_now < stream->unwritten_was)
			stream->moved_ms = now;
		stream->unwritten_was = unwritten_now;
		moving += now - stream->moved_ms < STALLED_MS;
	}
	while (moving < METRICS_STREAM_WRITERS && (stream = TAILQ_FIRST(&streams->hungry))) {
		hand_slice(stream);
		moving++;
	}
	if (!TAILQ_EMPTY(&streams->hungry))
		schedule_feed(streams, STALLED_MS);
}

struct metrics_stream *metrics_stream_start(struct metrics_streams *streams,
                                            struct evhttp_request *req,
                                            const struct metrics_stream_body *body,
                                            const struct metrics_stream_calls *calls, void *arg)
{
	struct metrics_stream *stream = xcalloc(1, sizeof(*stream));
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	if (evcon != NULL) /* a slice in one write (the first with the head) */
		bufferevent_set_max_single_write(evhttp_connection_get_bufferevent(evcon),
		                                 METRICS_STREAM_SLICE_BYTES + 4096);
	*stream = (struct metrics_stream){
	    .streams = streams, .req = req, .body = *body, .calls = *calls, .arg = arg};
	TAILQ_INSERT_TAIL(&streams->hungry, stream, link);
	schedule_feed(streams, 0);
	return stream;
}

bool metrics_stream_started(const struct metrics_stream *stream)
{
	return stream->started;
}

void metrics_stream_cancel(struct metrics_stream *stream)
{
	struct metrics_streams *streams = stream->streams;
	TAILQ_REMOVE(stream->writing ? &streams->writing : &streams->hungry, stream, link);
	free(stream);
}

struct metrics_streams *metrics_streams_new(struct event_base *base)
{
	struct metrics_streams *streams = xcalloc(1, sizeof(*streams));
	TAILQ_INIT(&streams->hungry);
	TAILQ_INIT(&streams->writing);
	streams->feed = evtimer_new(base, feed, streams);
	return streams;
}

void metrics_streams_free(struct metrics_streams *streams)
{
	event_free(streams->feed);
	free(streams);
}
