/* SPDX-License-Identifier: ISC */
/* metrics_stream: /metrics answers written a slice at a time, so that the loop's work per turn
 * is bounded whatever the number of scrapers. An answer gets its next slice
 * (METRICS_STREAM_SLICE_BYTES, by reference; the head goes with the first) once the last one
 * is written, and slices go only to METRICS_STREAM_WRITERS answers at once whose clients are
 * reading, oldest waiting first: 100 scrapers of a 5.4 MB body each writing 16 kB per turn
 * held the loop 3 ms a turn. (Over links slower than a slice per 10 ms, a writer counts as
 * stalled; that costs nothing per turn either, its socket being full.)
 * A writer whose client read nothing for 10 ms gives its place up (while its socket is full it
 * costs the loop nothing), so clients that stop reading cannot keep the others waiting; when
 * they read again they may write beside the others, a slice each at most. The body goes out
 * with its Content-Length, as one reply would. Knows nothing of renders (metrics_scrape.c). */
#ifndef BACKUPD_METRICS_STREAM_H
#define BACKUPD_METRICS_STREAM_H

#include <stdbool.h>
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

/* The stream's calls back, with the arg given to metrics_stream_start. */
struct metrics_stream_calls {
	/* Adds the answer's headers but Content-Length, when its head is handed to evhttp (not
	 * before: an answer cancelled until then may still be answered otherwise). */
	void (*head)(struct evhttp_request *req, void *arg);
	/* The last slice is handed to evhttp: the answer is the connection's from then on, and
	 * the stream is gone. */
	void (*done)(void *arg);
};

struct metrics_streams *metrics_streams_new(struct event_base *base);
/* Call once no stream is left. */
void metrics_streams_free(struct metrics_streams *streams);

/* Starts the 200 answer to req with body, whose bytes must stay as they are until the last
 * release; calls->done(arg) when it is handed over whole. A stream whose connection goes
 * first is ended with metrics_stream_cancel. */
struct metrics_stream *metrics_stream_start(struct metrics_streams *streams,
                                            struct evhttp_request *req,
                                            const struct metrics_stream_body *body,
                                            const struct metrics_stream_calls *calls, void *arg);
/* Whether its head is handed to evhttp (until then the request can still be answered
 * otherwise, after metrics_stream_cancel). */
bool metrics_stream_started(const struct metrics_stream *stream);
/* Ends a stream whose connection is closing or that will not be written; done is not
 * called. */
void metrics_stream_cancel(struct metrics_stream *stream);

#endif
