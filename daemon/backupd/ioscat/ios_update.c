/* SPDX-License-Identifier: ISC */
/* The iOS catalog's word on one phone (ios_update.h): ioscat's choice of target, turned into
 * the facts every reader shows. Pure: no I/O, no clock. */
#include <stdbool.h>
#include <string.h>

#include "ios_update.h"
#include "text_clean.h"

static const char *const state_words[IOS_UPDATE_STATE_COUNT] = {
    [IOS_UPDATE_NONE] = "none",       [IOS_UPDATE_NOT_LISTED] = "not-listed",
    [IOS_UPDATE_CURRENT] = "current", [IOS_UPDATE_AVAILABLE] = "available",
    [IOS_UPDATE_ENDED] = "ended",
};

const char *ios_update_state_word(enum ios_update_state state)
{
	if ((unsigned)state >= IOS_UPDATE_STATE_COUNT)
		return "none";
	return state_words[state];
}

/* A model the catalog does not list has ended only when it is an iPhone left on an older
 * train than the catalog's newest: an iPad (the catalog lists iPhones) or a model newer than
 * the catalog is not judged by it. */
static bool model_ended(const struct ios_catalog *catalog, const char *product_type,
                        const struct ios_version *installed)
{
	uint32_t newest_major = 0;
	for (size_t i = 0; i < catalog->n_releases; i++)
		if (catalog->releases[i].v.part[0] > newest_major)
			newest_major = catalog->releases[i].v.part[0];
	return strncmp(product_type, "iPhone", 6) == 0 && installed->part[0] < newest_major;
}

/* Copies text, cutting it at a list separator with ", ..." when it does not fit. */
static void copy_list(char *dst, size_t size, const char *src)
{
	size_t length = strlen(src);
	if (length < size) {
		memcpy(dst, src, length + 1);
		return;
	}
	size_t end = size - 6;
	while (end > 0 && src[end] != ',')
		end--;
	memcpy(dst, src, end);
	memcpy(dst + end, ", ...", 6);
}

void ios_update_judge(const struct ios_catalog *catalog, const char *product_type,
                      const struct ios_version *installed, struct ios_update *out)
{
	struct ios_target t;
	memset(out, 0, sizeof(*out));
	ios_catalog_target(catalog, product_type, installed, &t);
	if (t.standing == IOS_UNKNOWN_MODEL) {
		out->state = model_ended(catalog, product_type, installed) ? IOS_UPDATE_ENDED
		                                                           : IOS_UPDATE_NOT_LISTED;
		return;
	}
	memcpy(out->latest, t.latest->version, sizeof(out->latest));
	if (t.standing == IOS_UP_TO_DATE) {
		out->state = IOS_UPDATE_CURRENT;
		return;
	}
	out->state = IOS_UPDATE_AVAILABLE;
	memcpy(out->target, t.target->version, sizeof(out->target));
	out->target_released_unix = t.target->released_unix;
	out->behind_since_unix = t.pending_since;
	out->exploited_since_unix = t.exploited_since;
	out->n_exploited = t.n_exploited;
	if (t.n_exploited > 0) {
		/* The ids are the network's bytes: cleaned where they enter the record. */
		char list[4 * IOS_EXPLOITED_TEXT], clean[4 * IOS_EXPLOITED_TEXT];
		ios_catalog_exploited_list(catalog, product_type, installed, list, sizeof(list));
		text_clean(clean, sizeof(clean), list, strlen(list));
		copy_list(out->exploited, sizeof(out->exploited), clean);
	}
}

void ios_update_each_cve(const struct ios_update *update,
                         void (*each)(const char *id, size_t length, void *arg), void *arg)
{
	const char *at = update->exploited;
	while (*at) {
		size_t length = strcspn(at, ",");
		if (length > 0 && strcmp(at, "...") != 0)
			each(at, length, arg);
		at += length;
		while (*at == ',' || *at == ' ')
			at++;
	}
}

bool ios_update_same(const struct ios_update *a, const struct ios_update *b)
{
	return a->state == b->state && strcmp(a->target, b->target) == 0 &&
	       a->target_released_unix == b->target_released_unix &&
	       strcmp(a->latest, b->latest) == 0 && a->behind_since_unix == b->behind_since_unix &&
	       a->exploited_since_unix == b->exploited_since_unix &&
	       a->n_exploited == b->n_exploited && strcmp(a->exploited, b->exploited) == 0;
}
