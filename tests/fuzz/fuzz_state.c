/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the state file parser (state_from_json, state_load's parse step) on one
 * state.json read from memory, then state_serialize on what it loaded, which must parse
 * again: the daemon saves what it loaded. Reading and setting aside the file are left to
 * the unit tests: files on disk would make each input several times slower. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* state_load's steps on text: parse, then read the document; NULL or what is wrong. */
static const char *load_text(const char *text, size_t length, struct device_record **recs,
                             size_t *n, struct fleet_alerts *fleet)
{
	json_error_t error;
	json_t *doc = json_loadb(text, length, JSON_REJECT_DUPLICATES, &error);
	const char *why = "not JSON";

	*recs = NULL;
	*n = 0;
	memset(fleet, 0, sizeof(*fleet));
	if (doc != NULL)
		why = json_is_object(doc) ? state_from_json(doc, recs, n, fleet) : "not an object";
	json_decref(doc);
	if (why != NULL) {
		free(*recs);
		*recs = NULL;
		*n = 0;
	}
	return why;
}

static void check_round_trip(struct device_record *recs, size_t n, const struct fleet_alerts *fleet)
{
	struct device_record **ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	struct device_record *again;
	struct fleet_alerts fleet_again;
	size_t n_again, kept = 0;

	if (ptrs == NULL)
		abort();
	for (size_t i = 0; i < n; i++) {
		ptrs[i] = &recs[i];
		kept += recs[i].last_seen_unix >= -INT64_MAX; /* now - max age, below */
	}
	char *text = state_serialize(ptrs, n, fleet, 0, INT64_MAX);
	if (text == NULL)
		abort();
	const char *why = load_text(text, strlen(text), &again, &n_again, &fleet_again);
	if (why != NULL || n_again != kept) {
		fprintf(stderr, "round trip: %s\n%s\n", why ? why : "records lost", text);
		abort();
	}
	free(again);
	free(text);
	free(ptrs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct device_record *recs;
	struct fleet_alerts fleet;
	size_t n;

	if (load_text((const char *)data, size, &recs, &n, &fleet) != NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i].attached || memchr(recs[i].udid, '\0', sizeof(recs[i].udid)) == NULL)
			abort();
	check_round_trip(recs, n, &fleet);
	free(recs);
	return 0;
}
