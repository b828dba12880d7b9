/* SPDX-License-Identifier: ISC */
/* metrics_scrape: the scrapes of /metrics waiting for a render, and the replies the server
 * sends. One render answers every scrape waiting when it ends; it is written a part per loop
 * turn, its body is sent by reference to each, a slice at a time, and while too many rendered
 * bytes are not yet sent, scrapes get 503.
 * Knows nothing of connections or listeners (metrics_http.c). */
#ifndef BACKUPD_METRICS_SCRAPE_H
#define BACKUPD_METRICS_SCRAPE_H

#include <stdbool.h>

#include "metrics.h"

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct event_base;
struct evhttp_request;
struct metrics_scrapes;
struct metrics_scrape; /* one request, until its answer is handed over whole */

struct metrics_scrapes *metrics_scrapes_new(struct event_base *base, metrics_render_cb *render,
                                            void *arg);
/* Queues req for the next render. *waiting holds its entry until its answer is handed over
 * whole, then NULL. */
void metrics_scrapes_add(struct metrics_scrapes *scrapes, struct evhttp_request *req,
                         struct metrics_scrape **waiting);
/* Takes a scrape out before its answer is handed over whole (its connection is closing or
 * out of time) and returns its request; *waiting is not touched. */
struct evhttp_request *metrics_scrapes_remove(struct metrics_scrapes *scrapes,
                                              struct metrics_scrape *entry);
/* Whether the scrape's answer is being written (its head is sent: it can no longer be
 * answered otherwise). */
bool metrics_scrapes_answering(const struct metrics_scrape *entry);
/* Call once no scrape waits. Bodies still being sent keep what they need. */
void metrics_scrapes_free(struct metrics_scrapes *scrapes);

/* Answers every request but a GET of /metrics (404, 405, HEAD) and says whether it did; every
 * answer closes its connection. */
bool metrics_route(struct evhttp_request *req);
/* A plain-text reply (404, 405, 503, ...). */
void metrics_reply_text(struct evhttp_request *req, int code, const char *reason, const char *text);

#endif
