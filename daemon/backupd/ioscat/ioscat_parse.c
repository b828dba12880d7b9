/* SPDX-License-Identifier: ISC */
/* SOFA v2 iOS feed (or gdmf's, seen as one: ioscat_gdmf.h) -> struct ios_catalog: releases first,
 * then (model, release) pairs, sorted into one table per model. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ioscat_gdmf.h"
#include "ioscat_parse.h"

#define IPHONE_PREFIX "iPhone"

struct pair {
	char type[IOS_TYPE_TEXT];
	struct ios_version v; /* of the release, for sorting */
	uint32_t release;
};

struct builder {
	struct ios_release *releases;
	size_t n_releases;
	size_t *exploited_at; /* offset of each release's list in strings */
	struct pair *pairs;
	size_t n_pairs, pairs_alloc;
	char *strings;
	size_t strings_len, strings_alloc;
	bool over_bounds;
};

/* "2026-09-08" or "2026-09-08T00:00:00Z" -> Unix seconds; -1 otherwise. */
static int64_t parse_date(const char *text)
{
	struct tm tm;
	int year, month, day, hour = 0, minute = 0, second = 0, used = 0;

	if (sscanf(text, "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3 || used != 10)
		return -1;
	if (text[10] == 'T' &&
	    (sscanf(text + 11, "%2d:%2d:%2d", &hour, &minute, &second) != 3 || strlen(text) < 19))
		return -1;
	if (text[10] != '\0' && text[10] != 'T')
		return -1;
	if (year < 2007 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	return (int64_t)timegm(&tm);
}

static int grow(void **data, size_t *alloc, size_t need, size_t member)
{
	size_t n = *alloc ? *alloc : 64;
	void *grown;

	if (need <= *alloc)
		return 0;
	while (n < need)
		n *= 2;
	if (!(grown = realloc(*data, n * member)))
		return -1;
	*data = grown;
	*alloc = n;
	return 0;
}

static int add_text(struct builder *b, const char *text)
{
	size_t len = strlen(text);

	if (grow((void **)&b->strings, &b->strings_alloc, b->strings_len + len + 1, 1) < 0)
		return -1;
	memcpy(b->strings + b->strings_len, text, len + 1);
	b->strings_len += len; /* the next text overwrites the NUL, unless it ends the list */
	return 0;
}

/* The ids of ActivelyExploitedCVEs (list may be NULL) as one NUL-terminated ", "-list in
 * strings; returns how many, or -1 when out of memory. */
static int add_exploited(struct builder *b, json_t *list)
{
	size_t i;
	json_t *id;
	int n = 0;

	if (add_text(b, "") < 0)
		return -1;
	json_array_foreach(list, i, id)
	{
		if (!json_is_string(id))
			continue;
		if ((n > 0 && add_text(b, ", ") < 0) || add_text(b, json_string_value(id)) < 0)
			return -1;
		n++;
	}
	b->strings_len++; /* keep the NUL */
	return n;
}

static void add_pairs(struct builder *b, json_t *devices, uint32_t release)
{
	size_t i;
	json_t *device;

	json_array_foreach(devices, i, device)
	{
		const char *type = json_string_value(device);

		if (!type || strncmp(type, IPHONE_PREFIX, strlen(IPHONE_PREFIX)) != 0 ||
		    strlen(type) >= IOS_TYPE_TEXT)
			continue;
		if (b->n_pairs >= IOSCAT_PAIRS_MAX || grow((void **)&b->pairs, &b->pairs_alloc,
		                                           b->n_pairs + 1, sizeof(*b->pairs)) < 0) {
			b->over_bounds = true;
			return;
		}
		snprintf(b->pairs[b->n_pairs].type, IOS_TYPE_TEXT, "%s", type);
		b->pairs[b->n_pairs].v = b->releases[release].v;
		b->pairs[b->n_pairs++].release = release;
	}
}

/* One release; fallback_devices stand in when it names none (SOFA leaves them out of older
 * releases of a train). Wrong types or unreadable values skip it. */
static void add_release(struct builder *b, json_t *release, json_t *fallback_devices)
{
	json_t *version = json_object_get(release, "ProductVersion");
	json_t *date = json_object_get(release, "ReleaseDate");
	json_t *devices = json_object_get(release, "SupportedDevices");
	json_t *exploited = json_object_get(release, "ActivelyExploitedCVEs");
	struct ios_release *r;

	if (!devices)
		devices = fallback_devices;
	if (!json_is_string(version) || !json_is_string(date) || !json_is_array(devices) ||
	    (exploited && !json_is_array(exploited)) ||
	    json_string_length(version) >= IOS_VERSION_TEXT)
		return;
	if (b->n_releases >= IOSCAT_RELEASES_MAX) {
		b->over_bounds = true;
		return;
	}
	r = &b->releases[b->n_releases];
	memset(r, 0, sizeof(*r));
	snprintf(r->version, sizeof(r->version), "%s", json_string_value(version));
	r->released_unix = parse_date(json_string_value(date));
	if (ios_version_parse(r->version, &r->v) < 0 || r->released_unix < 0)
		return;
	b->exploited_at[b->n_releases] = b->strings_len;
	r->n_exploited = add_exploited(b, exploited);
	if (r->n_exploited < 0) {
		b->over_bounds = true;
		return;
	}
	add_pairs(b, devices, (uint32_t)b->n_releases);
	b->n_releases++;
}

static void add_train(struct builder *b, json_t *train)
{
	json_t *latest = json_object_get(train, "Latest");
	json_t *releases = json_object_get(train, "SecurityReleases");
	json_t *fallback = json_object_get(latest, "SupportedDevices");
	json_t *release;
	size_t i;

	if (!json_is_array(releases) || json_array_size(releases) == 0) {
		if (json_is_object(latest))
			add_release(b, latest, NULL);
		return;
	}
	json_array_foreach(releases, i, release)
	{
		if (json_is_object(release))
			add_release(b, release, fallback);
	}
}

/* By model, then newest version first. */
static int pair_cmp(const void *a, const void *b)
{
	const struct pair *pa = a, *pb = b;
	int by_type = strcmp(pa->type, pb->type);

	if (by_type)
		return by_type;
	return -ios_version_cmp(&pa->v, &pb->v);
}

/* Sorts the pairs into models; drops a version listed twice for a model. */
static int build_models(struct builder *b, struct ios_catalog *c)
{
	qsort(b->pairs, b->n_pairs, sizeof(*b->pairs), pair_cmp);
	c->models = calloc(b->n_pairs ? b->n_pairs : 1, sizeof(*c->models));
	c->model_releases = calloc(b->n_pairs ? b->n_pairs : 1, sizeof(*c->model_releases));
	if (!c->models || !c->model_releases)
		return -1;
	for (size_t i = 0, n = 0; i < b->n_pairs; i++) {
		const struct pair *p = &b->pairs[i];
		struct ios_model *m = c->n_models ? &c->models[c->n_models - 1] : NULL;

		if (!m || strcmp(m->product_type, p->type) != 0) {
			m = &c->models[c->n_models++];
			snprintf(m->product_type, sizeof(m->product_type), "%s", p->type);
			m->first = (uint32_t)n;
		} else if (ios_version_cmp(&b->releases[c->model_releases[n - 1]].v,
		                           &b->releases[p->release].v) == 0) {
			continue;
		}
		c->model_releases[n++] = p->release;
		m->count++;
	}
	return 0;
}

/* Hands what the builder holds to the catalog. */
static struct ios_catalog *finish(struct builder *b, char *err, size_t err_size)
{
	struct ios_catalog *c = calloc(1, sizeof(*c));

	if (!c || build_models(b, c) < 0) {
		snprintf(err, err_size, "out of memory");
		ios_catalog_free(c);
		return NULL;
	}
	c->releases = b->releases;
	c->n_releases = b->n_releases;
	c->strings = b->strings;
	for (size_t i = 0; i < b->n_releases; i++) {
		c->releases[i].exploited = c->strings + b->exploited_at[i];
		if (c->releases[i].released_unix > c->newest_unix)
			c->newest_unix = c->releases[i].released_unix;
	}
	b->releases = NULL;
	b->strings = NULL;
	return c;
}

static void builder_free(struct builder *b)
{
	free(b->releases);
	free(b->exploited_at);
	free(b->pairs);
	free(b->strings);
}

static struct ios_catalog *build(json_t *trains, char *err, size_t err_size)
{
	struct builder b = {0};
	struct ios_catalog *catalog = NULL;
	json_t *train;
	size_t i;

	b.releases = calloc(IOSCAT_RELEASES_MAX, sizeof(*b.releases));
	b.exploited_at = calloc(IOSCAT_RELEASES_MAX, sizeof(*b.exploited_at));
	if (!b.releases || !b.exploited_at) {
		snprintf(err, err_size, "out of memory");
		builder_free(&b);
		return NULL;
	}
	json_array_foreach(trains, i, train)
	{
		if (json_is_object(train) && !b.over_bounds)
			add_train(&b, train);
	}
	if (b.over_bounds)
		snprintf(err, err_size, "more than %d releases or %d model entries",
		         IOSCAT_RELEASES_MAX, IOSCAT_PAIRS_MAX);
	else if (b.n_pairs == 0)
		snprintf(err, err_size, "no iPhone release with a version, date and devices");
	else
		catalog = finish(&b, err, err_size);
	builder_free(&b);
	return catalog;
}

struct ios_catalog *ioscat_parse(const char *body, size_t len, char *err, size_t err_size)
{
	json_error_t json_err;
	json_t *root = json_loadb(body, len, 0, &json_err);
	json_t *trains = NULL;
	struct ios_catalog *catalog = NULL;

	if (!root)
		snprintf(err, err_size, "not JSON: %s (line %d)", json_err.text, json_err.line);
	else if (ioscat_is_gdmf(root))
		trains = ioscat_gdmf_as_sofa(root, err, err_size);
	else if (json_is_array(json_object_get(root, "OSVersions")))
		trains = json_incref(json_object_get(root, "OSVersions"));
	else
		snprintf(err, err_size,
		         "no OSVersions array (SOFA) nor PublicAssetSets object (gdmf)");
	if (json_is_array(trains))
		catalog = build(trains, err, err_size);
	json_decref(trains);
	json_decref(root);
	return catalog;
}
