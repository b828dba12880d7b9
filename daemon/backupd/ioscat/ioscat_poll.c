/* SPDX-License-Identifier: ISC */
/* The iOS catalog on the loop: a feed_poller whose body goes to ioscat_parse. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed_poll.h"
#include "humanize.h"
#include "ioscat_parse.h"
#include "ioscat_poll.h"
#include "journal.h"
#include "message_ids.h"

struct ioscat_poller {
	struct feed_poller *feed;
	struct ios_catalog *catalog; /* the last good one; owned */
	ioscat_changed_fn changed;
	void *changed_arg;
	bool announced; /* the unusable warning is out (once per run of failures) */
};

/* feed_poll_options.parse_body: a good catalog replaces the last one. */
static int take_body(void *arg, const char *body, size_t len, char *err, size_t err_size)
{
	struct ioscat_poller *poller = arg;
	struct ios_catalog *fresh = ioscat_parse(body, len, err, err_size);
	struct ios_catalog *old = poller->catalog;

	if (!fresh)
		return -1;
	poller->catalog = fresh;
	if (poller->changed)
		poller->changed(poller->changed_arg, fresh);
	ios_catalog_free(old);
	return 0;
}

static void announce(struct ioscat_poller *poller, const struct feed_state *state)
{
	char message[512], error_field[300], date_field[64], newest[32] = "none";
	bool failing = state->unreachable;
	struct journal_entry entry = {.message_id = message_id(MSG_IOS_CATALOG_UNUSABLE),
	                              .message = message,
	                              .extra = {error_field, date_field}};

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

/* feed_changed_fn: reachability only (a new catalog came through take_body). */
static void on_state(void *arg, const struct feed_state *state)
{
	announce(arg, state);
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
}

struct ioscat_poller *ioscat_poller_new(struct event_base *base, const struct ioscat_options *opts,
                                        ioscat_changed_fn changed, void *arg)
{
	struct ioscat_poller *poller = calloc(1, sizeof(*poller));
	struct feed_poll_options feed_opts;

	if (!poller)
		return NULL;
	poller->changed = changed;
	poller->changed_arg = arg;
	feed_options(opts, poller, &feed_opts);
	if (!(poller->feed = feed_poller_new(base, &feed_opts, on_state, poller))) {
		free(poller);
		return NULL;
	}
	return poller;
}

void ioscat_poller_reconfigure(struct ioscat_poller *poller, const struct ioscat_options *opts)
{
	struct feed_poll_options feed_opts;

	feed_options(opts, poller, &feed_opts);
	feed_poller_reconfigure(poller->feed, &feed_opts);
	if (feed_opts.url[0] || !poller->catalog)
		return;
	ios_catalog_free(poller->catalog); /* switched off: judge without a catalog */
	poller->catalog = NULL;
	poller->announced = false;
	if (poller->changed)
		poller->changed(poller->changed_arg, NULL);
}

const struct ios_catalog *ioscat_poller_catalog(const struct ioscat_poller *poller)
{
	return poller->catalog;
}

const struct feed_state *ioscat_poller_state(const struct ioscat_poller *poller)
{
	return feed_poller_state(poller->feed);
}

void ioscat_poller_free(struct ioscat_poller *poller)
{
	if (!poller)
		return;
	feed_poller_free(poller->feed);
	ios_catalog_free(poller->catalog);
	free(poller);
}
