/* SPDX-License-Identifier: ISC */
/* Polls the status feed: one conditional GET at a time, on the loop, with back-off on
 * failure. Owns the feed_state the rest of the daemon reads. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "curl_loop.h"
#include "feed_parse.h"
#include "feed_poll.h"
#include "version.h"

struct response_body {
	char *data;
	size_t len;
	size_t alloc;
	bool over_cap;
};

struct feed_poller {
	struct event_base *base;
	struct feed_poll_options opts;
	feed_changed_fn changed;
	void *changed_arg;

	struct curl_loop *curl;
	struct event *poll_timer; /* when the next transfer starts */

	/* The transfer under way; easy == NULL when idle. */
	CURL *easy;
	struct curl_slist *request_headers;
	struct response_body body;
	char curl_error[CURL_ERROR_SIZE];
	int64_t started_ms;

	/* Validators of the last good feed, sent back so an unchanged feed costs a 304. */
	struct feed_validators validators;

	struct feed_state state;
	struct feed_poll_stats stats;
	uint64_t random_state;
};

void feed_poll_options_defaults(struct feed_poll_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->interval_ms = FEED_INTERVAL_MS_DEFAULT;
	opts->timeout_ms = FEED_TIMEOUT_MS_DEFAULT;
	opts->connect_timeout_ms = FEED_CONNECT_TIMEOUT_MS_DEFAULT;
	opts->body_cap = FEED_BODY_CAP_DEFAULT;
	opts->backoff_base_ms = FEED_BACKOFF_BASE_MS_DEFAULT;
}

int64_t feed_backoff_delay_ms(int failures, int64_t base_ms, int64_t cap_ms, uint64_t random)
{
	int64_t delay = base_ms > 0 ? base_ms : 1;

	if (cap_ms < 1)
		cap_ms = 1;
	for (int i = 1; i < failures && delay < cap_ms; i++)
		delay *= 2;
	if (delay > cap_ms)
		delay = cap_ms;
	delay -= (int64_t)(random % (uint64_t)(delay / 5 + 1));
	return delay > 0 ? delay : 1;
}

static uint64_t next_random(struct feed_poller *poller)
{
	/* xorshift64*: jitter only needs to differ between hosts, not to be secret. */
	uint64_t x = poller->random_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	poller->random_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void seed_random(struct feed_poller *poller)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	poller->random_state = seed ? seed : 0x9E3779B97F4A7C15ULL;
}

static int64_t monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static bool events_equal(const struct feed_event *a, const struct feed_event *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(a[i].status_type, b[i].status_type) != 0 ||
		    strcmp(a[i].event_status, b[i].event_status) != 0 ||
		    strcmp(a[i].message, b[i].message) != 0 || a[i].start_unix != b[i].start_unix ||
		    a[i].end_unix != b[i].end_unix)
			return false;
	}
	return true;
}

/* What the callback promises to report: everything but the last_good_unix refresh. */
static bool state_changed(const struct feed_state *a, const struct feed_state *b)
{
	return a->have_good != b->have_good || a->n_active != b->n_active ||
	       a->n_upcoming != b->n_upcoming || !events_equal(a->active, b->active, a->n_active) ||
	       !events_equal(a->upcoming, b->upcoming, a->n_upcoming) ||
	       a->unreachable != b->unreachable || a->unreachable_since != b->unreachable_since ||
	       strcmp(a->last_error, b->last_error) != 0;
}

static void set_state(struct feed_poller *poller, const struct feed_state *next)
{
	bool changed = state_changed(&poller->state, next);

	poller->state = *next;
	if (changed && poller->changed)
		poller->changed(poller->changed_arg, &poller->state);
}

/* CURLOPT_WRITEFUNCTION: keeps the body, up to the cap. Returning short aborts the transfer. */
static size_t on_body_data(char *data, size_t size, size_t count, void *arg)
{
	struct feed_poller *poller = arg;
	struct response_body *body = &poller->body;
	size_t len = size * count;

	if (len > poller->opts.body_cap - body->len) {
		body->over_cap = true;
		return 0;
	}
	if (body->len + len > body->alloc) {
		size_t alloc = body->alloc ? body->alloc * 2 : 16384;
		char *grown;

		while (alloc < body->len + len)
			alloc *= 2;
		if (!(grown = realloc(body->data, alloc)))
			return 0;
		body->data = grown;
		body->alloc = alloc;
	}
	memcpy(body->data + body->len, data, len);
	body->len += len;
	return len;
}

static void end_transfer(struct feed_poller *poller)
{
	curl_easy_cleanup(poller->easy);
	poller->easy = NULL;
	curl_slist_free_all(poller->request_headers);
	poller->request_headers = NULL;
	free(poller->body.data);
	memset(&poller->body, 0, sizeof(poller->body));
}

static void abort_transfer(struct feed_poller *poller)
{
	if (!poller->easy)
		return;
	curl_loop_remove(poller->curl, poller->easy);
	end_transfer(poller);
}

static void schedule_poll(struct feed_poller *poller, int64_t delay_ms)
{
	struct timeval delay = {delay_ms / 1000, (delay_ms % 1000) * 1000};

	evtimer_add(poller->poll_timer, &delay);
}

static void record_failure(struct feed_poller *poller, const char *error)
{
	struct feed_state next = poller->state;

	if (!next.unreachable) {
		next.unreachable = true;
		next.unreachable_since = time(NULL);
	}
	snprintf(next.last_error, sizeof(next.last_error), "%s", error);
	poller->stats.failures++;
	poller->stats.consecutive_failures++;
	schedule_poll(poller, feed_backoff_delay_ms(poller->stats.consecutive_failures,
	                                            poller->opts.backoff_base_ms,
	                                            poller->opts.interval_ms, next_random(poller)));
	set_state(poller, &next);
}

static void record_success(struct feed_poller *poller, const struct feed_state *parsed)
{
	poller->stats.consecutive_failures = 0;
	schedule_poll(poller, poller->opts.interval_ms);
	set_state(poller, parsed);
}

/* 304: the feed we hold is still current. */
static void record_unchanged(struct feed_poller *poller)
{
	struct feed_state next = poller->state;

	next.last_good_unix = time(NULL);
	next.unreachable = false;
	next.unreachable_since = 0;
	next.last_error[0] = '\0';
	poller->stats.not_modified++;
	record_success(poller, &next);
}

static void copy_header(CURL *easy, const char *name, char *dst, size_t dst_size)
{
	struct curl_header *header;

	dst[0] = '\0';
	if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &header) == CURLHE_OK &&
	    strlen(header->value) < dst_size)
		snprintf(dst, dst_size, "%s", header->value);
}

/* The new body into *next: the status feed, or the owner's document (see parse_body). */
static int parse_body(struct feed_poller *poller, struct feed_state *next,
                      const struct feed_validators *validators, char *err, size_t err_size)
{
	const struct feed_poll_options *opts = &poller->opts;

	if (!opts->parse_body)
		return feed_parse(poller->body.data, poller->body.len, time(NULL), next, err,
		                  err_size);
	if (opts->parse_body(opts->parse_arg, poller->body.data, poller->body.len, validators, err,
	                     err_size))
		return -1;
	next->have_good = true;
	next->last_good_unix = time(NULL);
	next->unreachable = false;
	next->unreachable_since = 0;
	next->last_error[0] = '\0';
	return 0;
}

enum poll_outcome { POLL_NEW_FEED, POLL_NOT_MODIFIED, POLL_FAILED };

/* Redirects are followed to https only, so that a redirect can never take the feed off TLS.
 * libcurl then reports the refused target as an unsupported protocol; say what happened. */
static bool refused_redirect(CURL *easy, CURLcode result, long status, char *error,
                             size_t error_size)
{
	char *target = NULL;
	long redirects = 0;
	if (result != CURLE_UNSUPPORTED_PROTOCOL || status < 300 || status > 399 ||
	    curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &redirects) != CURLE_OK ||
	    redirects == 0 ||
	    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &target) != CURLE_OK || target == NULL)
		return false;
	snprintf(error, error_size,
	         "redirected (HTTP %ld) to %.160s; backupd follows redirects to https:// only",
	         status, target);
	return true;
}

/* Reads what the finished transfer says while its handle and body still exist. A new feed
 * goes to *next, and its validators are kept only if it parsed. */
static enum poll_outcome judge_transfer(struct feed_poller *poller, CURL *easy, CURLcode result,
                                        struct feed_state *next, char *error, size_t error_size)
{
	long status = 0;
	char parse_error[200];
	struct feed_validators fresh;

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if ((result == CURLE_WRITE_ERROR && poller->body.over_cap) ||
	    result == CURLE_FILESIZE_EXCEEDED) {
		snprintf(error, error_size, "body over %zu bytes", poller->opts.body_cap);
		return POLL_FAILED;
	}
	if (result != CURLE_OK && refused_redirect(easy, result, status, error, error_size))
		return POLL_FAILED;
	if (result != CURLE_OK) {
		snprintf(error, error_size, "%s",
		         poller->curl_error[0] ? poller->curl_error : curl_easy_strerror(result));
		return POLL_FAILED;
	}
	if (status == 304 && poller->state.have_good)
		return POLL_NOT_MODIFIED;
	if (status != 200) {
		snprintf(error, error_size, "HTTP %ld%s", status,
		         status == 304 ? " without a feed to reuse" : "");
		return POLL_FAILED;
	}
	*next = poller->state;
	copy_header(easy, "ETag", fresh.etag, sizeof(fresh.etag));
	copy_header(easy, "Last-Modified", fresh.last_modified, sizeof(fresh.last_modified));
	if (parse_body(poller, next, &fresh, parse_error, sizeof(parse_error)) != 0) {
		snprintf(error, error_size, "unreadable feed: %s", parse_error);
		return POLL_FAILED;
	}
	poller->validators = fresh;
	return POLL_NEW_FEED;
}

static void on_transfer_done(void *arg, CURL *easy, CURLcode result)
{
	struct feed_poller *poller = arg;
	struct feed_state next;
	char error[256];
	enum poll_outcome outcome;

	poller->stats.polls++;
	poller->stats.last_duration_ms = monotonic_ms() - poller->started_ms;
	outcome = judge_transfer(poller, easy, result, &next, error, sizeof(error));
	end_transfer(poller); /* before the callback, which may well poll again */
	switch (outcome) {
	case POLL_NEW_FEED:
		record_success(poller, &next);
		break;
	case POLL_NOT_MODIFIED:
		record_unchanged(poller);
		break;
	case POLL_FAILED:
		record_failure(poller, error);
		break;
	}
}

static struct curl_slist *conditional_headers(const struct feed_poller *poller)
{
	struct curl_slist *list = NULL, *appended;
	char line[320];

	if (poller->validators.etag[0]) {
		snprintf(line, sizeof(line), "If-None-Match: %s", poller->validators.etag);
		if (!(appended = curl_slist_append(list, line)))
			return list;
		list = appended;
	}
	if (poller->validators.last_modified[0]) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s",
		         poller->validators.last_modified);
		if ((appended = curl_slist_append(list, line)))
			list = appended;
	}
	return list;
}

/* Proxies: libcurl reads http_proxy, https_proxy, HTTPS_PROXY, all_proxy and no_proxy from
 * the environment when CURLOPT_PROXY is not set, so nothing here overrides them. */
static CURLcode configure_transfer(struct feed_poller *poller, CURL *easy)
{
	const struct feed_poll_options *opts = &poller->opts;
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(easy, CURLOPT_URL, opts->url);
	rc |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	/* Without it, aborting a transfer waits for the threaded resolver's getaddrinfo to
	 * return: seconds of a blocked loop while DNS is down. */
	rc |= curl_easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
	rc |= curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (opts->ca_file[0])
		rc |= curl_easy_setopt(easy, CURLOPT_CAINFO, opts->ca_file);
	rc |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)opts->connect_timeout_ms);
	rc |= curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)opts->timeout_ms);
	rc |= curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)opts->body_cap);
	rc |= curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
	rc |= curl_easy_setopt(easy, CURLOPT_USERAGENT, "backupd/" BACKUPD_VERSION);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body_data);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, poller);
	rc |= curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, poller->curl_error);
	rc |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, poller->request_headers);
	return rc;
}

static void start_transfer(struct feed_poller *poller)
{
	if (poller->easy || !poller->opts.url[0])
		return;
	poller->curl_error[0] = '\0';
	poller->started_ms = monotonic_ms();
	poller->request_headers = conditional_headers(poller);
	poller->easy = curl_easy_init();
	if (!poller->easy || configure_transfer(poller, poller->easy) != CURLE_OK ||
	    curl_loop_add(poller->curl, poller->easy) != 0) {
		end_transfer(poller);
		record_failure(poller, "cannot set up the HTTP request");
	}
}

static void on_poll_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	start_transfer(arg);
}

static void sanitise_options(struct feed_poll_options *opts)
{
	if (opts->interval_ms < 1)
		opts->interval_ms = 1;
	if (opts->backoff_base_ms < 1)
		opts->backoff_base_ms = 1;
	if (opts->body_cap == 0)
		opts->body_cap = FEED_BODY_CAP_DEFAULT;
	if (opts->timeout_ms < 1) /* 0 would mean "wait forever" to libcurl */
		opts->timeout_ms = FEED_TIMEOUT_MS_DEFAULT;
	if (opts->connect_timeout_ms < 1)
		opts->connect_timeout_ms = FEED_CONNECT_TIMEOUT_MS_DEFAULT;
}

struct feed_poller *feed_poller_new(struct event_base *base, const struct feed_poll_options *opts,
                                    feed_changed_fn changed, void *arg)
{
	struct feed_poller *poller = calloc(1, sizeof(*poller));

	if (!poller)
		return NULL;
	poller->base = base;
	poller->changed = changed;
	poller->changed_arg = arg;
	poller->opts = *opts;
	sanitise_options(&poller->opts);
	seed_random(poller);
	if (opts->parse_body && (opts->resume.etag[0] || opts->resume.last_modified[0])) {
		poller->validators = opts->resume;
		poller->state.have_good = true; /* the owner's: a 304 keeps it */
	}
	poller->curl = curl_loop_new(base, on_transfer_done, poller);
	poller->poll_timer = evtimer_new(base, on_poll_timer, poller);
	if (!poller->curl || !poller->poll_timer) {
		feed_poller_free(poller);
		return NULL;
	}
	feed_poller_poll_now(poller);
	return poller;
}

void feed_poller_forget_validators(struct feed_poller *poller)
{
	memset(&poller->validators, 0, sizeof(poller->validators));
}

void feed_poller_reconfigure(struct feed_poller *poller, const struct feed_poll_options *opts)
{
	struct feed_state cleared;

	abort_transfer(poller);
	evtimer_del(poller->poll_timer);
	if (strcmp(poller->opts.url, opts->url) != 0)
		feed_poller_forget_validators(poller);
	poller->opts = *opts;
	sanitise_options(&poller->opts);
	poller->stats.consecutive_failures = 0;
	if (!poller->opts.url[0]) {
		memset(&cleared, 0, sizeof(cleared)); /* disabled: nothing to say about Apple */
		set_state(poller, &cleared);
		return;
	}
	feed_poller_poll_now(poller);
}

void feed_poller_poll_now(struct feed_poller *poller)
{
	if (poller->easy || !poller->opts.url[0])
		return;
	schedule_poll(poller, 0); /* on the loop, so no callback runs inside the caller */
}

const struct feed_state *feed_poller_state(const struct feed_poller *poller)
{
	return &poller->state;
}

const struct feed_poll_stats *feed_poller_stats(const struct feed_poller *poller)
{
	return &poller->stats;
}

void feed_poller_free(struct feed_poller *poller)
{
	if (!poller)
		return;
	if (poller->curl)
		abort_transfer(poller);
	curl_loop_free(poller->curl);
	if (poller->poll_timer)
		event_free(poller->poll_timer);
	free(poller);
}
