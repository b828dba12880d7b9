/* SPDX-License-Identifier: ISC */
/* remembered_bench: the costs that grow with the number of remembered phones (issue 10),
 * in process, on the daemon's own code, over N synthetic records (detached, last seen over
 * the last 27 days, a third of them failing something).
 *
 *   remembered_bench N RUNS [STATE_DIR]
 *
 * Prints, as "name value unit" lines (medians of RUNS, CPU time of the process):
 *   status_reply_ms   status_json() + json_dumps(): the status reply the loop builds
 *   snapshot_ms       state_snapshot_take(): the part of a save that runs on the loop
 *   serialise_ms      state_snapshot_serialize(): the JSON, on the state writer's thread
 *   forget_sweep_ms   forget_select() over every record
 *   lookup_index_ns   one udid_index_get() (all N looked up, per lookup)
 *   lookup_linear_ns  the same by a linear scan (what fleet.c did before), for comparison
 * With STATE_DIR, also writes the records there as state.json, for a daemon to load
 * (tests/bench/remembered.sh measures backupctl status against it). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "forget.h"
#include "rules.h"
#include "state.h"
#include "state_snapshot.h"
#include "status_json.h"
#include "udid_index.h"

#define DAY 86400

/* CPU time of this process: on a shared machine, wall time would count other people's work.
 * On an idle machine the loop is blocked for about this long. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *values, int n)
{
	qsort(values, (size_t)n, sizeof(*values), by_value);
	return values[n / 2];
}

static void make_record(struct device_record *rec, int i, int64_t now,
                        const struct rule_limits *limits)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->udid, sizeof(rec->udid), "00008120-%016X", (unsigned)i * 2654435761u);
	struct device_facts *f = &rec->facts;
	facts_init(f, rec->udid);
	f->status = PROBE_OK;
	snprintf(f->name, sizeof(f->name), "Cart %d #%d", i / 40, i % 40);
	snprintf(f->product_type, sizeof(f->product_type), "iPhone%d,%d", 10 + i % 6, 1 + i % 3);
	snprintf(f->product_version, sizeof(f->product_version), "17.%d", i % 6);
	snprintf(f->serial, sizeof(f->serial), "F%010d", i);
	f->password_protected = TRI_YES;
	f->backup_enabled = i % 3 == 0 ? TRI_NO : TRI_YES;
	f->has_last_backup = true;
	f->last_backup_unix = now - (i % 50) * 3600;
	f->external_connected = TRI_YES;
	f->battery_charging = TRI_YES;
	f->battery_percent = i % 100;
	f->wifi_associated = TRI_YES;
	snprintf(f->wifi_ssid, sizeof(f->wifi_ssid), "Ward-%d", i % 7);
	f->total_data_capacity = 128000000000LL;
	f->total_data_available = 120000000000LL;
	f->probed_at_unix = now - DAY;
	rules_evaluate(f, NULL, NULL, limits, now, rec->verdicts);
	rec->first_seen_unix = now - 60 * DAY;
	rec->last_seen_unix = now - (int64_t)(i % 27) * DAY - i % 3600;
}

typedef double (*measure_fn)(struct device_record *const *recs, size_t n, int64_t now);

static double measure_status(struct device_record *const *recs, size_t n, int64_t now)
{
	static const struct port_names no_names; /* no [Hub]/[Slot] sections */
	double t0 = now_ms();
	json_t *reply = status_json((const struct device_record *const *)recs, n, &no_names, NULL,
	                            now, NULL, 0, false);
	char *text = json_dumps(reply, JSON_COMPACT);
	double t1 = now_ms();
	free(text);
	json_decref(reply);
	return t1 - t0;
}

static double measure_snapshot(struct device_record *const *recs, size_t n, int64_t now)
{
	double t0 = now_ms();
	struct state_snapshot *snapshot = state_snapshot_take(recs, n, NULL, now, 28 * DAY);
	double t1 = now_ms();
	state_snapshot_free(snapshot);
	return t1 - t0;
}

static double measure_serialise(struct device_record *const *recs, size_t n, int64_t now)
{
	struct state_snapshot *snapshot = state_snapshot_take(recs, n, NULL, now, 28 * DAY);
	double t0 = now_ms();
	char *text = state_snapshot_serialize(snapshot);
	double t1 = now_ms();
	free(text);
	state_snapshot_free(snapshot);
	return t1 - t0;
}

static double measure_forget(struct device_record *const *recs, size_t n, int64_t now)
{
	enum forget_reason *why = calloc(n, sizeof(*why));
	struct forget_policy policy = {28 * DAY, n};
	double t0 = now_ms();
	forget_select((const struct device_record *const *)recs, n, now, &policy, why);
	double t1 = now_ms();
	free(why);
	return t1 - t0;
}

static double run(measure_fn fn, struct device_record *const *recs, size_t n, int64_t now, int runs)
{
	double *values = calloc((size_t)runs, sizeof(*values));
	for (int r = 0; r < runs; r++)
		values[r] = fn(recs, n, now);
	double m = median(values, runs);
	free(values);
	return m;
}

/* ns per lookup, every record looked up once; linear = a scan like the old find_device. */
static double lookups_ns(struct device_record *const *recs, size_t n, bool linear)
{
	struct udid_index *index = udid_index_new();
	for (size_t i = 0; i < n; i++)
		udid_index_put(index, recs[i]->udid, recs[i]);
	size_t found = 0;
	double t0 = now_ms();
	for (size_t i = 0; i < n; i++) {
		char key[64];
		memcpy(key, recs[(i * 7919) % n]->udid, sizeof(key));
		if (!linear) {
			found += udid_index_get(index, key) != NULL;
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(recs[j]->udid, key) == 0) {
				found++;
				break;
			}
	}
	double t1 = now_ms();
	udid_index_free(index);
	if (found != n)
		fprintf(stderr, "remembered_bench: %zu of %zu found\n", found, n);
	return (t1 - t0) * 1e6 / (double)n;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: remembered_bench N RUNS [STATE_DIR]\n");
		return 2;
	}
	size_t n = (size_t)atol(argv[1]);
	int runs = atoi(argv[2]);
	if (n == 0 || runs <= 0)
		return 2;
	struct backupd_config config;
	config_defaults(&config);
	int64_t now = (int64_t)time(NULL);
	struct device_record *records = calloc(n, sizeof(*records));
	struct device_record **recs = calloc(n, sizeof(*recs));
	for (size_t i = 0; i < n; i++) {
		make_record(&records[i], (int)i, now, &config.limits);
		recs[i] = &records[i];
	}
	printf("records %zu\n", n);
	printf("status_reply_ms %.2f ms\n", run(measure_status, recs, n, now, runs));
	printf("snapshot_ms %.2f ms\n", run(measure_snapshot, recs, n, now, runs));
	printf("serialise_ms %.2f ms\n", run(measure_serialise, recs, n, now, runs));
	printf("forget_sweep_ms %.3f ms\n", run(measure_forget, recs, n, now, runs));
	printf("lookup_index_ns %.0f ns\n", lookups_ns(recs, n, false));
	printf("lookup_linear_ns %.0f ns\n", lookups_ns(recs, n, true));
	int rc = 0;
	if (argc > 3) {
		char err[256];
		rc = state_save(argv[3], recs, n, NULL, now, 28 * DAY, err, sizeof(err));
		if (rc != 0)
			fprintf(stderr, "remembered_bench: %s\n", err);
	}
	free(recs);
	free(records);
	config_free(&config);
	return rc ? 1 : 0;
}
