/* SPDX-License-Identifier: ISC */
/* metrics_gzip: a rendered /metrics body compressed with gzip for the scrapers that accept it
 * (Prometheus asks with "Accept-Encoding: gzip"): a 1000-phone body of 5 MB goes out as about
 * 450 kB. Deflate takes tens of milliseconds for such a body, so it runs in slices, one per
 * loop turn, each of at most METRICS_GZIP_SLICE_BYTES of input: the loop polls between them. */
#ifndef BACKUPD_METRICS_GZIP_H
#define BACKUPD_METRICS_GZIP_H

#include <stdbool.h>
#include <stddef.h>

#define METRICS_GZIP_SLICE_BYTES (32u << 10)

struct event_base;
struct metrics_gzip; /* one compression under way */

/* Called once from the loop when the compression is done: data (malloc'd, the caller's) and
 * its length, or NULL when zlib failed (out of memory). */
typedef void metrics_gzip_done_cb(void *arg, char *data, size_t length);

/* Starts compressing data[0..length), which must stay unchanged until done is called or the
 * job is cancelled. NULL when zlib cannot start (done is then never called). */
struct metrics_gzip *metrics_gzip_start(struct event_base *base, const char *data, size_t length,
                                        metrics_gzip_done_cb *done, void *arg);
/* Stops a compression under way; done is not called. */
void metrics_gzip_cancel(struct metrics_gzip *job);

/* Whether an Accept-Encoding header value (NULL: none) accepts gzip: a "gzip" coding whose
 * q is not 0. */
bool metrics_gzip_accepted(const char *accept_encoding);

#endif
