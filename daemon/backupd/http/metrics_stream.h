/* SPDX-License-Identifier: ISC */
/* metrics_stream: /metrics answers written a slice at a time, so that the loop's work per turn
 * is bounded whatever the number of scrapers. Each answer gets its next slice
 * (METRICS_STREAM_SLICE_BYTES, by reference) once the last one is written, and at most
 * METRICS_STREAM_WRITERS answers hold a slice not yet written, oldest waiting first: 100
 * scrapers of a 5.4 MB body each writing 16 kB per turn held the loop 3 ms a turn. An answer
 * whose client reads nothing for a turn gives its place up (it costs the loop nothing while
 * its socket is full), so slow clients cannot keep the others waiting. The body goes out with
 * its Content-Length, as one reply would. Knows nothing of renders (metrics_scrape.c). */
#ifndef BACKUPD_METRICS_STREAM_H
#define BACKUPD_METRICS_STREAM_H

#include <stddef.h>

#include <event2/buffer.h>

#define METRICS_STREAM_SLICE_BYTES (32u << 10)
#define METRICS_STREAM_WRITERS     16

struct event_base;
struct evhttp_request;
struct metrics_streams;
struct metrics_stream; /* one answer being written */

/* What an answer sends, and how its slices hold it: hold(arg) is called before each slice is
 * handed to evhttp, release(data, length, arg) once evhttp is done with it (written or
 * dropped with its connection). */
struct metrics_stream_body {
	const char *data;
	size_t length;
	void (*hold)(void *arg);
	evbuffer_ref_cleanup_cb release;
	void *arg;
};

/* Called once the last slice is handed to evhttp: the answer is the connection's from then
 * on, and the stream is gone. */
typedef void metrics_stream_done_cb(void *arg);

struct metrics_streams *metrics_streams_new(struct event_base *base);
/* Call once no stream is left. */
void metrics_streams_free(struct metrics_streams *streams);

/* Starts the 200 answer to req (its other headers set already) with body, whose bytes must
 * stay as they are until the last release. done(done_arg) is called when it is handed over
 * whole; a stream whose connection goes first is ended with metrics_stream_cancel. */
struct metrics_stream *metrics_stream_start(struct metrics_streams *streams,
                                            struct evhttp_request *req,
                                            const struct metrics_stream_body *body,
                                            metrics_stream_done_cb *done, void *done_arg);
/* Ends a stream whose connection is closing; done is not called. */
void metrics_stream_cancel(struct metrics_stream *stream);

#endif
