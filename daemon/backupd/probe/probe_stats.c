/* SPDX-License-Identifier: ISC */
/* Counting finished probes. Buckets span a warm session on the simulator (under 5 ms) up to
 * ProbeTimeout's maximum (5 min). */
#include <math.h>

#include "probe_stats.h"

const double probe_duration_bounds_s[PROBE_DURATION_BUCKETS] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, INFINITY,
};

void probe_stats_record(struct probe_stats *stats, enum probe_status status, int64_t duration_ms)
{
	double seconds = duration_ms > 0 ? (double)duration_ms / 1000.0 : 0.0;
	int bucket = 0;

	if ((unsigned)status >= PROBE_STATUS_COUNT || status == PROBE_NOT_YET)
		status = PROBE_PROTOCOL_ERROR;
	stats->by_status[status]++;
	while (seconds > probe_duration_bounds_s[bucket])
		bucket++;
	stats->in_bucket[bucket]++;
	stats->count++;
	stats->seconds_sum += seconds;
}
