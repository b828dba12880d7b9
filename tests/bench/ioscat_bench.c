/* SPDX-License-Identifier: ISC */
/* ioscat_bench: the cost of a full-size iOS catalog. Builds a SOFA v2 feed of real size in
 * memory (about 1.5 MB: 8 trains of 40 releases, each naming 40 iPhones and 60 iPads and
 * carrying 70 CVEs), then prints the parse's CPU time and peak memory (median of RUNS) and
 * the cost of judging PHONES phones against it (the lookups a catalog change re-runs).
 * Usage: ioscat_bench [PHONES [RUNS]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ioscat_parse.h"

#define TRAINS   8
#define RELEASES 40
#define IPHONES  40
#define IPADS    60
#define CVES     70

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

static char *make_feed(size_t *len)
{
	char *feed = malloc(8 << 20), *p = feed;

	p += sprintf(p, "{\"UpdateHash\":\"x\",\"OSVersions\":[");
	for (int t = 0; t < TRAINS; t++) {
		int major = 26 - t;

		p += sprintf(p, "%s{\"OSVersion\":\"%d\",\"Latest\":", t ? "," : "", major);
		release(&p, major, RELEASES - 1, t * RELEASES + RELEASES - 1);
		p += sprintf(p, ",\"SecurityReleases\":[");
		for (int r = RELEASES - 1; r >= 0; r--) {
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

int main(int argc, char **argv)
{
	int phones = argc > 1 ? atoi(argv[1]) : 1000, runs = argc > 2 ? atoi(argv[2]) : 7;
	size_t len;
	char *feed = make_feed(&len), err[256], list[4096];
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
