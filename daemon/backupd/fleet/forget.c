/* SPDX-License-Identifier: ISC */
/* forget: the ForgetAfter and MaxRemembered decisions (forget.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forget.h"
#include "humanize.h"
#include "xmalloc.h"

static bool expired(const struct device_record *rec, int64_t now, int64_t after_s)
{
	/* A clock stepped back makes last_seen lie in the future: keep the phone. */
	return !rec->attached && rec->last_seen_unix <= now && now - rec->last_seen_unix >= after_s;
}

/* Longest detached first; the UDID breaks ties so the choice does not depend on order. */
static int by_last_seen(const void *a, const void *b)
{
	const struct device_record *x = *(const struct device_record *const *)a;
	const struct device_record *y = *(const struct device_record *const *)b;
	if (x->last_seen_unix != y->last_seen_unix)
		return x->last_seen_unix < y->last_seen_unix ? -1 : 1;
	return strcmp(x->udid, y->udid);
}

/* Marks the longest detached of the records still kept until at most max remain. */
static size_t select_too_many(const struct device_record *const *recs, size_t n, size_t kept,
                              size_t max, enum forget_reason *why)
{
	const struct device_record **detached = xcalloc(n ? n : 1, sizeof(*detached));
	size_t n_detached = 0, marked = 0;
	for (size_t i = 0; i < n; i++)
		if (why[i] == FORGET_KEEP && !recs[i]->attached)
			detached[n_detached++] = recs[i];
	qsort(detached, n_detached, sizeof(*detached), by_last_seen);
	for (size_t d = 0; d < n_detached && kept - marked > max; d++)
		for (size_t i = 0; i < n; i++)
			if (recs[i] == detached[d]) {
				why[i] = FORGET_TOO_MANY;
				marked++;
				break;
			}
	free(detached);
	return marked;
}

size_t forget_select(const struct device_record *const *recs, size_t n, int64_t now_unix,
                     const struct forget_policy *policy, enum forget_reason *why)
{
	size_t forgotten = 0;
	for (size_t i = 0; i < n; i++) {
		why[i] = expired(recs[i], now_unix, policy->after_s) ? FORGET_EXPIRED : FORGET_KEEP;
		forgotten += why[i] != FORGET_KEEP;
	}
	if (n - forgotten > policy->max_remembered)
		forgotten += select_too_many(recs, n, n - forgotten, policy->max_remembered, why);
	return forgotten;
}

const char *forget_reason_text(const struct device_record *rec, enum forget_reason why,
                               int64_t now_unix, const struct forget_policy *policy,
                               size_t n_remembered, char *buf, size_t size)
{
	char detached[32], limit[32];
	humanize_duration(now_unix - rec->last_seen_unix, detached, sizeof(detached));
	if (why == FORGET_EXPIRED)
		snprintf(buf, size, "detached for %s, ForgetAfter is %s", detached,
		         humanize_duration(policy->after_s, limit, sizeof(limit)));
	else
		snprintf(buf, size,
		         "%zu phones remembered, MaxRemembered is %zu: the longest detached go "
		         "first (detached for %s)",
		         n_remembered, policy->max_remembered, detached);
	return buf;
}
