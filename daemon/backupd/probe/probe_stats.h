/* SPDX-License-Identifier: ISC */
/* probe_stats: what the probe pool has done since start, for /metrics: finished probes by
 * result and a histogram of how long they took. Plain counters, updated on the loop. */
#ifndef BACKUPD_PROBE_STATS_H
#define BACKUPD_PROBE_STATS_H

#include <stdint.h>

#include "facts.h"

#define PROBE_DURATION_BUCKETS 13

struct probe_stats {
	uint64_t by_status[PROBE_STATUS_COUNT];     /* PROBE_NOT_YET stays 0: cancelled probes */
	uint64_t in_bucket[PROBE_DURATION_BUCKETS]; /* not cumulative; the last is +Inf */
	uint64_t count;
	double seconds_sum;
};

/* Upper bounds of the buckets, in seconds; the last is INFINITY. */
extern const double probe_duration_bounds_s[PROBE_DURATION_BUCKETS];

/* One finished probe. Statuses out of range count as protocol errors. */
void probe_stats_record(struct probe_stats *stats, enum probe_status status, int64_t duration_ms);

#endif
