/* SPDX-License-Identifier: ISC */
/* pages_bench: the cost of one cart page render on the loop, with no listener in between.
 *
 *   pages_bench N RUNS
 *     N phones on one cart ([Hub 1-1] Cart=Big, slots 1..N), a fifth not ready, a tenth
 *     unknown, every twentieth slot empty with its last phone; renders /cart/Big, its live
 *     JSON, / and one /phone/ page RUNS times each and prints median and max render time
 *     (monotonic clock) and the bytes served. A poll of a live page costs the loop one
 *     render, so the max is also the longest stall one poll can cause. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "device.h"
#include "pages.h"
#include "slot_config.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void fill(struct device_record *rec, int i, int64_t now)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->udid, sizeof(rec->udid), "00008120-%016X", i);
	facts_init(&rec->facts, rec->udid);
	snprintf(rec->facts.name, sizeof(rec->facts.name), "Loaner %d of the big cart", i + 1);
	rec->facts.status = PROBE_OK;
	rec->attached = i % 20 != 7;
	for (int p = 0; p < PRECOND_COUNT; p++) {
		rec->verdicts[p].state = VERDICT_OK;
		snprintf(rec->verdicts[p].reason, sizeof(rec->verdicts[p].reason), "fine");
	}
	if (i % 5 == 1) {
		rec->verdicts[PRECOND_LOCKED].state = VERDICT_FAILING;
		snprintf(rec->verdicts[PRECOND_LOCKED].reason, sizeof(rec->verdicts[0].reason),
		         "screen unlocked: backup waits for the screen to lock");
	}
	if (i % 10 == 3)
		rec->verdicts[PRECOND_REACHABLE].state = VERDICT_UNKNOWN;
	char port[PORT_PATH_MAX];
	snprintf(port, sizeof(port), "1-1.%d", i + 1);
	for (int v = 0; v < 4; v++) { /* a history of visits, the newest here */
		struct slot_visit *visit = &rec->slot.visits[rec->slot.n_visits++];
		snprintf(visit->port_path, sizeof(visit->port_path), "%s", v ? "2-1.1" : port);
		visit->since_unix = now - 86400 * (v + 1);
		visit->until_unix = v || !rec->attached ? now - 86400 * v - 60 : 0;
	}
	if (rec->attached)
		snprintf(rec->slot.port_path, sizeof(rec->slot.port_path), "%s", port);
}

static void measure(const char *what, const struct device_record *const *records, size_t n,
                    const struct backupd_config *config, const struct verdict *service, int64_t now,
                    const char *path, int runs)
{
	double *ms = calloc((size_t)runs, sizeof(*ms));
	size_t bytes = 0;
	for (int r = 0; r < runs; r++) {
		struct page_reply reply;
		double t0 = now_ms();
		pages_render_records(records, n, config, service, now, path, &reply);
		ms[r] = now_ms() - t0;
		bytes = reply.body.length;
		if (reply.status != 200) {
			fprintf(stderr, "pages_bench: %s answered %d\n", path, reply.status);
			exit(1);
		}
		page_reply_free(&reply);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), compare_double);
	printf("%-28s median %7.3f ms  max %7.3f ms  %8zu bytes\n", what, ms[runs / 2],
	       ms[runs - 1], bytes);
	free(ms);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: pages_bench N RUNS\n");
		return 2;
	}
	int n = atoi(argv[1]), runs = atoi(argv[2]);
	int64_t now = 1764900000;
	struct backupd_config config;
	char why[200];
	config_defaults(&config);
	config.http_columns = 10;
	int hub = slot_config_enter(&config.port_names, true, "1-1", why, sizeof(why));
	slot_config_apply(&config.port_names.names[hub], "Cart", "Big", why, sizeof(why));
	struct device_record *recs = calloc((size_t)n, sizeof(*recs));
	const struct device_record **ptrs = calloc((size_t)n, sizeof(*ptrs));
	for (int i = 0; i < n; i++) {
		fill(&recs[i], i, now);
		ptrs[i] = &recs[i];
	}
	struct verdict service = {VERDICT_OK, "Apple reports iCloud Backup available"};
	char phone[128];
	snprintf(phone, sizeof(phone), "/phone/%s", recs[1].udid);
	printf("%d phones on one cart, %d renders each\n", n, runs);
	measure("/cart/Big", ptrs, (size_t)n, &config, &service, now, "/cart/Big", runs);
	measure("/live/cart/Big (JSON)", ptrs, (size_t)n, &config, &service, now, "/live/cart/Big",
	        runs);
	measure("/", ptrs, (size_t)n, &config, &service, now, "/", runs);
	measure("/phone/UDID", ptrs, (size_t)n, &config, &service, now, phone, runs);
	free(ptrs);
	free(recs);
	config_free(&config);
	return 0;
}
