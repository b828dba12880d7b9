/* SPDX-License-Identifier: ISC */
/* Looking a phone up in the iOS catalog: its model's releases, which it lacks, since when,
 * and which exploited vulnerabilities those fix. Pure: no I/O, no clock. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioscat.h"

#define VERSION_DIGITS_MAX 9

int ios_version_parse(const char *text, struct ios_version *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < IOS_VERSION_PARTS; i++) {
		int digits = 0;
		uint32_t value = 0;

		while (*text >= '0' && *text <= '9' && digits < VERSION_DIGITS_MAX) {
			value = value * 10 + (uint32_t)(*text++ - '0');
			digits++;
		}
		if (digits == 0 || (*text >= '0' && *text <= '9'))
			return -1;
		out->part[i] = value;
		if (*text == '\0')
			return 0;
		if (*text++ != '.')
			return -1;
	}
	return -1; /* a fifth part */
}

int ios_version_cmp(const struct ios_version *a, const struct ios_version *b)
{
	for (int i = 0; i < IOS_VERSION_PARTS; i++)
		if (a->part[i] != b->part[i])
			return a->part[i] < b->part[i] ? -1 : 1;
	return 0;
}

void ios_catalog_free(struct ios_catalog *catalog)
{
	if (!catalog)
		return;
	free(catalog->releases);
	free(catalog->models);
	free(catalog->model_releases);
	free(catalog->strings);
	free(catalog);
}

static int model_cmp(const void *key, const void *member)
{
	return strcmp(key, ((const struct ios_model *)member)->product_type);
}

static const struct ios_model *find_model(const struct ios_catalog *catalog, const char *type)
{
	if (!catalog || catalog->n_models == 0)
		return NULL;
	return bsearch(type, catalog->models, catalog->n_models, sizeof(*catalog->models),
	               model_cmp);
}

/* Whether the model has any release of major (the train is still in the catalog). */
static int has_train(const struct ios_catalog *catalog, const struct ios_model *model,
                     uint32_t major)
{
	for (uint32_t i = 0; i < model->count; i++)
		if (catalog->releases[catalog->model_releases[model->first + i]].v.part[0] == major)
			return 1;
	return 0;
}

/* Calls visit for each release of the model that installed lacks and that counts for it (its
 * own train; any newer one when newest_major, or when that train has ended), newest first. */
static void each_missing(const struct ios_catalog *catalog, const struct ios_model *model,
                         const struct ios_version *installed, bool newest_major,
                         void (*visit)(const struct ios_release *release, void *arg), void *arg)
{
	bool any_train = newest_major || !has_train(catalog, model, installed->part[0]);

	for (uint32_t i = 0; i < model->count; i++) {
		const struct ios_release *r =
		    &catalog->releases[catalog->model_releases[model->first + i]];

		if (ios_version_cmp(&r->v, installed) <= 0)
			continue;
		if (any_train || r->v.part[0] == installed->part[0])
			visit(r, arg);
	}
}

static void note_missing(const struct ios_release *release, void *arg)
{
	struct ios_target *out = arg;

	if (!out->target)
		out->target = release; /* newest first */
	/* The oldest date, not the last visited: across trains, version order is not date
	 * order (18.7.2 came out after 26.0). */
	if (!out->pending_since || release->released_unix < out->pending_since)
		out->pending_since = release->released_unix;
	out->n_exploited += release->n_exploited;
	if (release->n_exploited > 0 &&
	    (!out->exploited_since || release->released_unix < out->exploited_since))
		out->exploited_since = release->released_unix;
}

void ios_catalog_target(const struct ios_catalog *catalog, const char *product_type,
                        const struct ios_version *installed, bool newest_major,
                        struct ios_target *out)
{
	const struct ios_model *model = find_model(catalog, product_type);

	memset(out, 0, sizeof(*out));
	if (!model || model->count == 0) {
		out->standing = IOS_UNKNOWN_MODEL;
		return;
	}
	out->latest = &catalog->releases[catalog->model_releases[model->first]];
	each_missing(catalog, model, installed, newest_major, note_missing, out);
	out->standing = out->target ? IOS_BEHIND : IOS_UP_TO_DATE;
}

struct list_buf {
	char *buf;
	size_t size, len;
};

static void append_exploited(const struct ios_release *release, void *arg)
{
	struct list_buf *list = arg;
	int written;

	if (release->n_exploited == 0 || list->len >= list->size)
		return;
	written = snprintf(list->buf + list->len, list->size - list->len, "%s%s",
	                   list->len ? ", " : "", release->exploited);
	if (written > 0)
		list->len += (size_t)written;
}

void ios_catalog_exploited_list(const struct ios_catalog *catalog, const char *product_type,
                                const struct ios_version *installed, bool newest_major, char *buf,
                                size_t size)
{
	const struct ios_model *model = find_model(catalog, product_type);
	struct list_buf list = {buf, size, 0};

	if (size == 0)
		return;
	buf[0] = '\0';
	if (model)
		each_missing(catalog, model, installed, newest_major, append_exploited, &list);
}
