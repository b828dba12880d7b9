/* SPDX-License-Identifier: ISC */
/* Polls the Apple System Status feed on the daemon's libevent loop (libcurl multi-socket). */
#ifndef BACKUPD_FEED_POLL_H
#define BACKUPD_FEED_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "feed.h"

struct event_base;
struct feed_poller;

#define FEED_BODY_CAP_DEFAULT           (1024 * 1024)
#define FEED_TIMEOUT_MS_DEFAULT         20000
#define FEED_CONNECT_TIMEOUT_MS_DEFAULT 10000
#define FEED_BACKOFF_BASE_MS_DEFAULT    30000
#define FEED_INTERVAL_MS_DEFAULT        (5 * 60 * 1000)

/* A body's validators, sent back so that an unchanged body costs a 304 ("" = none). */
struct feed_validators {
	char etag[256];
	char last_modified[64];
};

struct feed_poll_options {
	char url[512];              /* "" disables polling */
	int64_t interval_ms;        /* between good polls; also the longest back-off */
	int64_t timeout_ms;         /* whole transfer */
	int64_t connect_timeout_ms; /* TCP + TLS handshake */
	size_t body_cap;            /* a longer body fails the poll */
	int64_t backoff_base_ms;    /* first retry after a failure */
	char ca_file[256];          /* "" = the system's CA store; tests point it elsewhere */
	/* NULL: the body is Apple's status feed (feed_parse). Otherwise another document polled
	 * the same way (the iOS catalog): parse_body gets each new 200 body and returns 0 to
	 * take it as the last good content, or -1 with a reason in err to keep the previous.
	 * The state then carries reachability and times only (no events). validators are the
	 * body's (ETag, Last-Modified), for an owner that keeps the body (the iOS catalog's
	 * cache). */
	int (*parse_body)(void *arg, const char *body, size_t len,
	                  const struct feed_validators *validators, char *err, size_t err_size);
	void *parse_arg;
	/* With parse_body: the validators of a body the owner holds already (kept from an
	 * earlier run), so that the first request is conditional and its 304 keeps that body.
	 * Read by feed_poller_new only. */
	struct feed_validators resume;
};

/* The defaults above, interval 5 min, url "": the daemon then copies StatusFeedURL and
 * StatusFeedInterval from its configuration. */
void feed_poll_options_defaults(struct feed_poll_options *opts);

/* Counters for backupctl and tests. */
struct feed_poll_stats {
	uint64_t polls;        /* finished transfers, good or bad */
	uint64_t not_modified; /* of which answered 304 */
	uint64_t failures;     /* of which failed */
	int consecutive_failures;
	int64_t last_duration_ms; /* of the last finished transfer */
};

/* Called on the loop whenever the content (events) or the reachability (unreachable,
 * unreachable_since, last_error) of the state changes; not for a mere last_good_unix
 * refresh. It must not free the poller. */
typedef void (*feed_changed_fn)(void *arg, const struct feed_state *state);

/* Starts polling at once (unless opts->url is empty), then every interval_ms. Requires
 * curl_global_init(CURL_GLOBAL_DEFAULT) to have been called once by the process (backupd's
 * main does it before creating threads). Returns NULL when libcurl cannot be set up. */
struct feed_poller *feed_poller_new(struct event_base *base, const struct feed_poll_options *opts,
                                    feed_changed_fn changed, void *arg);

/* For SIGHUP: aborts a transfer under way, takes the new options and polls at once. A new
 * URL forgets the cached ETag/Last-Modified; the last state is kept until the next result. */
void feed_poller_reconfigure(struct feed_poller *poller, const struct feed_poll_options *opts);

/* Polls now unless a transfer is already under way or polling is disabled. */
void feed_poller_poll_now(struct feed_poller *poller);
/* The next request asks unconditionally (no If-None-Match / If-Modified-Since): for a caller
 * that refused, later, a body the feed took as good. */
void feed_poller_forget_validators(struct feed_poller *poller);

const struct feed_state *feed_poller_state(const struct feed_poller *poller);
const struct feed_poll_stats *feed_poller_stats(const struct feed_poller *poller);

/* Aborts any transfer; the callback is not called. */
void feed_poller_free(struct feed_poller *poller);

/* The wait before retry number failures (1 = after the first failure): base doubled per
 * failure, at most cap, then shortened by up to a fifth by random (any 64-bit value), so
 * daemons that failed together spread out. Never below 1 ms. */
int64_t feed_backoff_delay_ms(int failures, int64_t base_ms, int64_t cap_ms, uint64_t random);

#endif
