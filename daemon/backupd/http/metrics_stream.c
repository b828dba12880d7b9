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

#include "metrics_stream.h"
#include "xmalloc.h"

/* How soon the feeder looks again when every place is held: a place held by a client that
 * read nothing since is then given to the next answer. */
#define STALLED_RECHECK_US 10000

struct metrics_stream {
	struct metrics_streams *streams;
	struct evhttp_request *req;
	struct metrics_stream_body body;
	size_t handed;        /* body bytes handed to evhttp */
	bool writing;         /* holds a slice not yet written (on writing), else on hungry */
	size_t unwritten_was; /* writing: the connection's unwritten bytes at the last look */
	metrics_stream_done_cb *done;
	void *done_arg;
	TAILQ_ENTRY(metrics_stream) link;
};
TAILQ_HEAD(stream_list, metrics_stream);

struct metrics_streams {
	struct stream_list hungry;  /* waiting for their next slice, oldest first */
	struct stream_list writing; /* their last slice not written yet */
	struct event *feed;
};

static void schedule_feed(struct metrics_streams *streams, long after_us)
{
	struct timeval after = {0, after_us};
	/* a slice written brings the next look forward; a recheck never pushes one back */
	if (after_us == 0 || !evtimer_pending(streams->feed, NULL))
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

/* The next slice of stream's body to evhttp; after the last the answer is ended and the
 * stream freed. */
static void hand_slice(struct metrics_stream *stream)
{
	struct metrics_streams *streams = stream->streams;
	const struct metrics_stream_body *body = &stream->body;
	size_t left = body->length - stream->handed;
	size_t length = left < METRICS_STREAM_SLICE_BYTES ? left : METRICS_STREAM_SLICE_BYTES;
	struct evbuffer *slice = evbuffer_new();

	TAILQ_REMOVE(&streams->hungry, stream, link);
	body->hold(body->arg);
	evbuffer_add_reference(slice, body->data + stream->handed, length, body->release,
	                       body->arg);
	stream->handed += length;
	if (stream->handed < body->length) {
		evhttp_send_reply_chunk_with_cb(stream->req, slice, slice_written, stream);
		evbuffer_free(
		    slice); /* emptied by evhttp, or releasing the slice when it could not */
		stream->writing = true;
		stream->unwritten_was = SIZE_MAX; /* counts as moving until the next look */
		TAILQ_INSERT_TAIL(&streams->writing, stream, link);
		return;
	}
	evhttp_send_reply_chunk(stream->req, slice);
	evbuffer_free(slice);
	evhttp_send_reply_end(stream->req);
	stream->done(stream->done_arg);
	free(stream);
}

/* Counts the places held by answers that are moving (wrote since the last look, or got
 * their slice since), then gives slices to hungry answers while places are free. */
static void feed(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct metrics_streams *streams = arg;
	struct metrics_stream *stream;
	int moving = 0;

	TAILQ_FOREACH(stream, &streams->writing, link)
	{
		size_t now = unwritten(stream);
		moving += now < stream->unwritten_was;
		stream->unwritten_was = now;
	}
	while (moving < METRICS_STREAM_WRITERS && (stream = TAILQ_FIRST(&streams->hungry))) {
		hand_slice(stream);
		moving++;
	}
	if (!TAILQ_EMPTY(&streams->hungry))
		schedule_feed(streams, STALLED_RECHECK_US);
}

struct metrics_stream *metrics_stream_start(struct metrics_streams *streams,
                                            struct evhttp_request *req,
                                            const struct metrics_stream_body *body,
                                            metrics_stream_done_cb *done, void *done_arg)
{
	struct metrics_stream *stream = xcalloc(1, sizeof(*stream));
	char length[24];
	snprintf(length, sizeof(length), "%zu", body->length);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", length);
	evhttp_send_reply_start(req, HTTP_OK, "OK");
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	if (evcon != NULL) /* a slice in one write */
		bufferevent_set_max_single_write(evhttp_connection_get_bufferevent(evcon),
		                                 METRICS_STREAM_SLICE_BYTES);
	*stream = (struct metrics_stream){
	    .streams = streams, .req = req, .body = *body, .done = done, .done_arg = done_arg};
	TAILQ_INSERT_TAIL(&streams->hungry, stream, link);
	schedule_feed(streams, 0);
	return stream;
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
