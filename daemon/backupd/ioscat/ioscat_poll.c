/* SPDX-License-Identifier: ISC */
/* The iOS catalog on the loop: a feed_poller whose bodies go to the worker thread, and whose
 * good catalogs come back here. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed_poll.h"
#include "humanize.h"
#include "ioscat_cache.h"
#include "ioscat_poll.h"
#include "ioscat_worker.h"
#include "journal.h"
#include "message_ids.h"
#include "preconditions.h"
#include "version.h"

#define IOSCAT_APPLE_ROOT_CA BACKUPD_DATADIR "/backupd/apple-root-ca.pem"

struct ioscat_poller {
	struct feed_poller *feed;
	struct ioscat_worker *worker;
	struct ios_catalog *catalog; /* the last good one; owned */
	ioscat_changed_fn changed;
	void *changed_arg;
	char url[512], cache_dir[256];
	uint64_t generation; /* bumped by reconfigure: a result of an older one is stale */
	/* The last body came through but the parser refused it (since when, why). */
	int64_t refused_since;
	char refused_error[256];
	int64_t good_unix;        /* when the last good catalog came in */
	struct feed_state *state; /* the feed's, with a refusal folded in */
	bool announced;           /* the unusable warning is out (once per run of failures) */
};

/* The state the rest of the daemon reads: the feed's, unless the parser refused the body. */
static void fold_state(const struct ioscat_poller *poller)
{
	struct feed_state *out = poller->state;

	*out = *feed_poller_state(poller->feed);
	out->have_good = poller->catalog != NULL;
	/* The feed's moves on each 304 too; a refused body is no good one. */
	if (poller->refused_since || !out->last_good_unix)
		out->last_good_unix = poller->good_unix;
	if (poller->refused_since && !out->unreachable) {
		out->unreachable = true;
		out->unreachable_since = poller->refused_since;
		snprintf(out->last_error, sizeof(out->last_error), "%s", poller->refused_error);
	}
}

static void announce(struct ioscat_poller *poller)
{
	char message[512], error_field[300], date_field[64], newest[32] = "none";
	const struct feed_state *state = poller->state;
	bool failing;
	struct journal_entry entry = {.message_id = message_id(MSG_IOS_CATALOG_UNUSABLE),
	                              .message = message,
	                              .extra = {error_field, date_field}};

	fold_state(poller);
	failing = state->unreachable;
	if (failing == poller->announced)
		return;
	poller->announced = failing;
	if (poller->catalog)
		humanize_utc(poller->catalog->newest_unix, newest, sizeof(newest));
	snprintf(error_field, sizeof(error_field), "CATALOG_ERROR=%s", state->last_error);
	snprintf(date_field, sizeof(date_field), "CATALOG_DATE=%s", newest);
	entry.priority = failing ? LOG_WARNING : LOG_NOTICE;
	entry.state = verdict_state_name(failing ? VERDICT_FAILING : VERDICT_OK);
	if (failing)
		snprintf(
		    message, sizeof(message), "iOS catalog unusable: %s; %s", state->last_error,
		    poller->catalog ? "keeping the last good one" : "iOS currency not checked");
	else
		snprintf(message, sizeof(message), "iOS catalog read again (newest release %s)",
		         newest);
	if (!failing)
		entry.extra[0] = NULL;
	journal_emit(&entry);
}

static void use_catalog(struct ioscat_poller *poller, struct ios_catalog *fresh)
{
	struct ios_catalog *old = poller->catalog;

	poller->catalog = fresh;
	if (poller->changed)
		poller->changed(poller->changed_arg, fresh);
	ios_catalog_free(old);
}

/* ioscat_parsed_fn: a body parsed on the worker. */
static void take_parsed(void *arg, struct ioscat_parsed *result)
{
	struct ioscat_poller *poller = arg;

	if (result->tag != poller->generation || !poller->url[0]) {
		ios_catalog_free(result->catalog); /* of a source given up since */
		return;
	}
	if (result->cache_error[0])
		log_warning("could not keep the iOS catalog: %s", result->cache_error);
	if (!result->catalog) {
		/* else the next poll's 304 would keep the refused body for good */
		if (poller->feed)
			feed_poller_forget_validators(poller->feed);
		if (!poller->refused_since)
			poller->refused_since = time(NULL);
		snprintf(poller->refused_error, sizeof(poller->refused_error),
		         "unreadable catalog: %.200s", result->error);
	} else {
		poller->refused_since = 0;
		poller->good_unix = time(NULL);
		use_catalog(poller, result->catalog);
	}
	announce(poller);
}

/* feed_poll_options.parse_body: the body goes to the worker; whether it is a catalog comes
 * back later (take_parsed). */
static int take_body(void *arg, const char *body, size_t len,
                     const struct feed_validators *validators, char *err, size_t err_size)
{
	struct ioscat_poller *poller = arg;
	char *copy = malloc(len ? len : 1);

	if (!copy || !poller->worker) {
		snprintf(err, err_size, "%s", copy ? "no parser thread" : "out of memory");
		free(copy);
		return -1;
	}
	memcpy(copy, body, len);
	ioscat_worker_submit(poller->worker, poller->generation, copy, len, poller->cache_dir,
	                     poller->url, validators);
	return 0;
}

/* feed_changed_fn: reachability only (a new catalog comes through take_parsed). */
static void on_state(void *arg, const struct feed_state *state)
{
	(void)state;
	announce(arg);
}

static void feed_options(const struct ioscat_options *opts, struct ioscat_poller *poller,
                         struct feed_poll_options *out)
{
	feed_poll_options_defaults(out);
	snprintf(out->url, sizeof(out->url), "%s", opts->url ? opts->url : "");
	snprintf(out->ca_file, sizeof(out->ca_file), "%s", opts->ca_file ? opts->ca_file : "");
	out->interval_ms = opts->interval_ms;
	out->body_cap = IOSCAT_BODY_CAP;
	out->parse_body = take_body;
	out->parse_arg = poller;
	snprintf(poller->url, sizeof(poller->url), "%s", out->url);
	snprintf(poller->cache_dir, sizeof(poller->cache_dir), "%s",
	         opts->cache_dir ? opts->cache_dir : "");
}

const char *ioscat_default_ca(const char *url)
{
	static const char gdmf[] = "https://gdmf.apple.com/";

	return strncmp(url, gdmf, strlen(gdmf)) == 0 ? IOSCAT_APPLE_ROOT_CA : "";
}

/* Before the first download: the catalog kept by the last run, for the same URL, and its
 * validators (so that the first request is conditional). */
static struct ios_catalog *read_cache(const struct ioscat_poller *poller,
                                      struct feed_validators *validators)
{
	char warn[PATH_MAX + 300];

	memset(validators, 0, sizeof(*validators));
	if (!poller->url[0] || !poller->cache_dir[0])
		return NULL;
	struct ios_catalog *cached =
	    ioscat_cache_read(poller->cache_dir, poller->url, validators, warn, sizeof(warn));
	if (warn[0])
		log_warning("iOS catalog cache unusable, not used: %s", warn);
	return cached;
}

static void use_cache(struct ioscat_poller *poller, struct ios_catalog *cached)
{
	char newest[32];

	if (!cached)
		return;
	humanize_utc(cached->newest_unix, newest, sizeof(newest));
	log_info("iOS catalog from the last run's cache (newest release %s), until %s answers",
	         newest, poller->url);
	use_catalog(poller, cached);
}

struct ioscat_poller *ioscat_poller_new(struct event_base *base, const struct ioscat_options *opts,
                                        ioscat_changed_fn changed, void *arg)
{
	struct ioscat_poller *poller = calloc(1, sizeof(*poller));
	struct feed_poll_options feed_opts;
	struct ios_catalog *cached;

	if (!poller || !(poller->state = calloc(1, sizeof(*poller->state)))) {
		free(poller);
		return NULL;
	}
	poller->changed = changed;
	poller->changed_arg = arg;
	feed_options(opts, poller, &feed_opts);
	cached = read_cache(poller, &feed_opts.resume);
	poller->worker = ioscat_worker_new(base, take_parsed, poller);
	if (!poller->worker)
		log_warning(
		    "cannot start the iOS catalog's parser thread; no catalog will be read");
	if (!(poller->feed = feed_poller_new(base, &feed_opts, on_state, poller))) {
		ios_catalog_free(cached);
		ioscat_poller_free(poller);
		return NULL;
	}
	/* after the feed: a failure above must not free a catalog already handed out */
	use_cache(poller, cached);
	fold_state(poller);
	return poller;
}

void ioscat_poller_reconfigure(struct ioscat_poller *poller, const struct ioscat_options *opts)
{
	struct feed_poll_options feed_opts;
	bool same_url = opts->url && strcmp(opts->url, poller->url) == 0;

	feed_options(opts, poller, &feed_opts);
	if (!same_url) {
		poller->generation++; /* a parse under way is of the old source */
		poller->refused_since = 0;
	}
	feed_poller_reconfigure(poller->feed, &feed_opts);
	if (feed_opts.url[0] || !poller->catalog) {
		announce(poller);
		return;
	}
	poller->good_unix = 0;
	use_catalog(poller, NULL); /* switched off: judge without a catalog */
	poller->announced = false;
}

const struct ios_catalog *ioscat_poller_catalog(const struct ioscat_poller *poller)
{
	return poller->catalog;
}

const struct feed_state *ioscat_poller_state(const struct ioscat_poller *poller)
{
	fold_state(poller); /* last_good_unix of a 304 moves without a callback */
	return poller->state;
}

void ioscat_poller_free(struct ioscat_poller *poller)
{
	if (!poller)
		return;
	feed_poller_free(poller->feed);
	ioscat_worker_free(poller->worker);
	ios_catalog_free(poller->catalog);
	free(poller->state);
	free(poller);
}
