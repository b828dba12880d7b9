/* SPDX-License-Identifier: ISC */
/* ioscat_bench: the cost of a full-size iOS catalog. Builds a SOFA v2 feed of real size in
 * memory (about 1.5 MB: 8 trains of 40 releases, each naming 40 iPhones and 60 iPads and
 * carrying 70 CVEs), then prints the parse's CPU time and peak memory (median of RUNS) and
 * the cost of judging PHONES phones against it (the lookups a catalog change re-runs).
 * Usage: ioscat_bench [PHONES [RUNS]]
 *
 * ioscat_bench fleet [PHONES [RUNS [TARGET]]]: the whole path of a catalog change on the loop,
 * fleet_ios_catalog_changed with PHONES attached phones (a real fleet: state loaded from a
 * temporary StateDirectory, phones attached through fleet_hotplug, probes to a helper that
 * never answers), alternating two catalogs whose newest releases differ, so that verdicts
 * change and are written; TARGET train or latest ([IOS] Target). Prints the median and
 * maximum wall time of RUNS changes against the 5 ms the loop may stall. Run it inside
 * tests/integration/journal-ns.sh for a real journald. */
#include <event2/event.h>
#include <event2/thread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fleet.h"
#include "ioscat_parse.h"
#include "probe_pool.h"
#include "state.h"

#define TRAINS   8
#define RELEASES 40
#define IPHONES  40
#define IPADS    60
#define CVES     70

/* The bench's phones never answer (the helper sleeps): no probe result to take. */
static void no_result(void *arg, const struct device_facts *facts, int served_by)
{
	(void)arg, (void)facts, (void)served_by;
}
static double now_ms(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void devices(char **p, int major)
{
	*p += sprintf(*p, "\"SupportedDevices\":[");
	for (int i = 0; i < IPHONES; i++)
		*p += sprintf(*p, "\"iPhone%d,%d\",", 10 + (major - 19) + i / 4, 1 + i % 4);
	for (int i = 0; i < IPADS; i++)
		*p += sprintf(*p, "%s\"iPad%d,%d\"", i ? "," : "", 8 + i / 6, 1 + i % 6);
	*p += sprintf(*p, "]");
}

static void release(char **p, int major, int minor, int n)
{
	*p += sprintf(
	    *p, "{\"ProductVersion\":\"%d.%d.%d\",\"ReleaseDate\":\"20%02d-%02d-%02dT00:00:00Z\",",
	    major, minor / 4, minor % 4, major - 1, 1 + minor % 12, 1 + minor % 28);
	*p += sprintf(*p, "\"CVEs\":{");
	for (int i = 0; i < CVES; i++)
		*p += sprintf(*p, "%s\"CVE-20%02d-%05d\":%s", i ? "," : "", major, n * CVES + i,
		              i % 10 ? "false" : "true");
	*p += sprintf(*p, "},\"ActivelyExploitedCVEs\":[\"CVE-20%02d-%05d\"],", major, n * CVES);
	devices(p, major);
	*p += sprintf(*p, ",\"UniqueCVEsCount\":%d}", CVES);
}

/* The feed, with the newest drop releases of each train left out. */
static char *make_feed(size_t *len, int drop)
{
	char *feed = malloc(8 << 20), *p = feed;
	int newest = RELEASES - 1 - drop;

	p += sprintf(p, "{\"UpdateHash\":\"x\",\"OSVersions\":[");
	for (int t = 0; t < TRAINS; t++) {
		int major = 26 - t;

		p += sprintf(p, "%s{\"OSVersion\":\"%d\",\"Latest\":", t ? "," : "", major);
		release(&p, major, newest, t * RELEASES + newest);
		p += sprintf(p, ",\"SecurityReleases\":[");
		for (int r = newest; r >= 0; r--) {
			release(&p, major, r, t * RELEASES + r);
			if (r)
				*p++ = ',';
		}
		p += sprintf(p, "]}");
	}
	p += sprintf(p, "]}");
	*len = (size_t)(p - feed);
	return feed;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long max_rss_kb(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}

static struct ios_catalog *parse_feed(int drop)
{
	size_t len;
	char *feed = make_feed(&len, drop), err[256];
	struct ios_catalog *catalog = ioscat_parse(feed, len, err, sizeof(err));

	free(feed);
	if (!catalog) {
		fprintf(stderr, "refused: %s\n", err);
		exit(1);
	}
	return catalog;
}

/* PHONES remembered phones of the catalog's models on versions of several trains, written
 * as the state file of dir, for the fleet to load. */
static void write_state(const char *dir, const struct ios_catalog *catalog, int phones)
{
	struct device_record *records = calloc((size_t)phones, sizeof(*records));
	struct device_record **recs = calloc((size_t)phones, sizeof(*recs));
	int64_t now = (int64_t)time(NULL);
	char err[256];

	for (int i = 0; i < phones; i++) {
		struct device_record *rec = &records[i];
		struct device_facts *f = &rec->facts;

		snprintf(rec->udid, sizeof(rec->udid), "00008120-%016X", (unsigned)i * 2654435761u);
		facts_init(f, rec->udid);
		snprintf(f->name, sizeof(f->name), "Cart %d #%d", i / 40, i % 40);
		snprintf(f->product_type, sizeof(f->product_type), "%s",
		         catalog->models[(size_t)i % catalog->n_models].product_type);
		snprintf(f->product_version, sizeof(f->product_version), "%d.%d.%d",
		         26 - i % TRAINS, i % 10, i % 4);
		rec->first_seen_unix = rec->last_seen_unix = now - 3600;
		recs[i] = rec;
	}
	if (state_save(dir, recs, (size_t)phones, NULL, now, 28 * 86400, err, sizeof(err)) != 0) {
		fprintf(stderr, "state: %s\n", err);
		exit(1);
	}
	free(recs);
	free(records);
}

struct change_cost {
	double longest_turn_ms; /* the longest the loop was held: the first slice or a later */
	double total_ms;        /* from the change until every phone was judged */
	double cpu_ms;          /* the thread's CPU time over all slices */
	int turns;
};

/* One catalog change and its slices, each loop turn timed on its own. */
static void change(struct event_base *base, struct fleet *fleet, const struct ios_catalog *catalog,
                   struct change_cost *out)
{
	struct change_cost cost = {0, 0, 0, 0};
	double start = now_ms(CLOCK_MONOTONIC), start_cpu = now_ms(CLOCK_THREAD_CPUTIME_ID);
	double turn = start;

	fleet_ios_catalog_changed(fleet, catalog);
	for (;;) {
		double took = now_ms(CLOCK_MONOTONIC) - turn;

		cost.turns++;
		if (took > cost.longest_turn_ms)
			cost.longest_turn_ms = took;
		if (!fleet_ios_rejudging(fleet))
			break;
		turn = now_ms(CLOCK_MONOTONIC);
		event_base_loop(base, EVLOOP_ONCE);
	}
	cost.total_ms = now_ms(CLOCK_MONOTONIC) - start;
	cost.cpu_ms = now_ms(CLOCK_THREAD_CPUTIME_ID) - start_cpu;
	if (out)
		*out = cost;
}

static void report(const struct change_cost *runs_of, int runs, size_t phones, const char *target)
{
	double longest[64], total[64], cpu[64];
	int turns = 0;

	for (int r = 0; r < runs; r++) {
		longest[r] = runs_of[r].longest_turn_ms;
		total[r] = runs_of[r].total_ms;
		cpu[r] = runs_of[r].cpu_ms;
		turns += runs_of[r].turns;
	}
	qsort(longest, (size_t)runs, sizeof(double), cmp_double);
	qsort(total, (size_t)runs, sizeof(double), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(double), cmp_double);
	printf("catalog change, %zu attached phones, Target=%s, %d changes:\n", phones, target,
	       runs);
	printf("  longest loop turn: median %.2f ms, max %.2f ms (budget 5 ms: %s)\n",
	       longest[runs / 2], longest[runs - 1], longest[runs - 1] <= 5.0 ? "within" : "OVER");
	printf("  all phones judged after: median %.2f ms, max %.2f ms wall, CPU median %.2f ms, "
	       "%.1f loop turns per change\n",
	       total[runs / 2], total[runs - 1], cpu[runs / 2], (double)turns / runs);
}

static int fleet_mode(int phones, int runs, const char *target)
{
	char dir[] = "/tmp/ioscat_bench.XXXXXX", command[64];
	struct backupd_config config;
	struct ios_catalog *catalogs[2] = {parse_feed(0), parse_feed(1)};
	struct change_cost runs_of[64];

	if (!mkdtemp(dir))
		return 1;
	write_state(dir, catalogs[0], phones);
	config_defaults(&config);
	snprintf(config.state_directory, sizeof(config.state_directory), "%s", dir);
	snprintf(config.sysfs_root, sizeof(config.sysfs_root), "%s", dir);
	config.workers = 1;
	config.ios_target = strcmp(target, "latest") == 0 ? IOS_TARGET_LATEST : IOS_TARGET_TRAIN;
	/* A helper that lives and never answers: no probe result, and no helper restarts on the
	 * loop (a helper that exits at once is restarted over and over, and those turns would
	 * count as the catalog's). */
	char helper[sizeof(dir) + 16];
	snprintf(helper, sizeof(helper), "%s/helper.sh", dir);
	FILE *script = fopen(helper, "w");
	if (!script)
		return 1;
	fputs("#!/bin/sh\nexec sleep 3600\n", script);
	fclose(script);
	chmod(helper, 0755);
	evthread_use_pthreads();
	struct event_base *base = event_base_new();
	struct probe_pool_options pool_opts = {1, 600000, helper};
	struct probe_pool *pool = probe_pool_new(base, &pool_opts, no_result, NULL);
	struct fleet *fleet = fleet_new(base, &config, pool, NULL);
	size_t n;

	fleet_load_state(fleet);
	const struct device_record *const *recs = fleet_records(fleet, &n);
	char(*udids)[UDID_MAX] = calloc(n, sizeof(*udids));
	for (size_t i = 0; i < n; i++)
		memcpy(udids[i], recs[i]->udid, UDID_MAX);
	for (size_t i = 0; i < n; i++)
		fleet_hotplug(fleet, HOTPLUG_ATTACHED, udids[i]);
	change(base, fleet, catalogs[1], NULL); /* the first judgement, not measured */
	for (int r = 0; r < runs; r++)
		change(base, fleet, catalogs[r % 2], &runs_of[r]);
	report(runs_of, runs, n, target);
	fleet_ios_catalog_changed(fleet, NULL);
	fleet_free(fleet);
	probe_pool_free(pool);
	event_base_free(base);
	free(udids);
	ios_catalog_free(catalogs[0]);
	ios_catalog_free(catalogs[1]);
	config_free(&config);
	snprintf(command, sizeof(command), "rm -rf %s", dir);
	return system(command) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "fleet") == 0) {
		int phones = argc > 2 ? atoi(argv[2]) : 1000, runs = argc > 3 ? atoi(argv[3]) : 21;

		if (runs < 1 || runs > 64 || phones < 1)
			return 2;
		return fleet_mode(phones, runs, argc > 4 ? argv[4] : "train");
	}
	int phones = argc > 1 ? atoi(argv[1]) : 1000, runs = argc > 2 ? atoi(argv[2]) : 7;
	size_t len;
	char *feed = make_feed(&len, 0), err[256], list[4096];
	double cpu[64], worst_judge = 0;
	long rss_before = max_rss_kb(), rss_after;
	struct ios_catalog *catalog = NULL;

	if (runs < 1 || runs > 64 || phones < 1)
		return 2;
	for (int i = 0; i < runs; i++) {
		double start = now_ms(CLOCK_PROCESS_CPUTIME_ID);

		ios_catalog_free(catalog);
		if (!(catalog = ioscat_parse(feed, len, err, sizeof(err)))) {
			fprintf(stderr, "refused: %s\n", err);
			return 1;
		}
		cpu[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - start;
	}
	rss_after = max_rss_kb();
	qsort(cpu, (size_t)runs, sizeof(cpu[0]), cmp_double);
	printf("catalog: %zu bytes, %zu releases, %zu iPhone models\n", len, catalog->n_releases,
	       catalog->n_models);
	printf("parse: median %.1f ms CPU, max %.1f ms (%d runs); peak RSS +%ld KiB\n",
	       cpu[runs / 2], cpu[runs - 1], runs, rss_after - rss_before);
	for (int round = 0; round < 5; round++) {
		double start = now_ms(CLOCK_MONOTONIC);

		for (int i = 0; i < phones; i++) {
			const struct ios_model *m = &catalog->models[(size_t)i % catalog->n_models];
			struct ios_version v = {
			    {26 - (unsigned)(i % TRAINS), (unsigned)(i % 10), 0, 0}};
			struct ios_target t;

			ios_catalog_target(catalog, m->product_type, &v, false, &t);
			ios_catalog_exploited_list(catalog, m->product_type, &v, false, list,
			                           sizeof(list));
		}
		double took = now_ms(CLOCK_MONOTONIC) - start;
		if (took > worst_judge)
			worst_judge = took;
	}
	printf("judge %d phones (target + exploited list each): worst of 5 rounds %.2f ms\n",
	       phones, worst_judge);
	ios_catalog_free(catalog);
	free(feed);
	return 0;
}
