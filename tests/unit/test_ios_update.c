/* SPDX-License-Identifier: ISC */
/* ios_update and ios_judge_cache: the catalog's word on one phone as every reader shows it
 * (the update to install, its date, the exploited CVEs it fixes), and the cache that judges
 * phones of one model on one version once per catalog change, not once per probe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ios_judge_cache.h"
#include "ios_update.h"
#include "ioscat_parse.h"

static struct ios_catalog *load_catalog(void)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/sofa-v2.json", IOSCAT_FIXTURE_DIR);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *body = malloc(1 << 20);
	assert_non_null(body);
	size_t len = fread(body, 1, 1 << 20, f);
	fclose(f);
	struct ios_catalog *catalog = ioscat_parse(body, len, err, sizeof(err));
	free(body);
	if (!catalog)
		fail_msg("sofa-v2.json refused: %s", err);
	return catalog;
}

static struct ios_update judge(const struct ios_catalog *catalog, const char *type,
                               const char *version)
{
	struct ios_version installed;
	struct ios_update out;
	assert_int_equal(ios_version_parse(version, &installed), 0);
	ios_update_judge(catalog, type, &installed, &out);
	return out;
}

static void test_available_names_target_date_and_cves(void **state)
{
	(void)state;
	struct ios_catalog *catalog = load_catalog();
	struct ios_update u = judge(catalog, "iPhone16,1", "26.0");
	assert_int_equal(u.state, IOS_UPDATE_AVAILABLE);
	assert_string_equal(u.target, "26.2");
	assert_int_equal(u.target_released_unix, 1795132800); /* 2026-11-20 */
	assert_int_equal(u.behind_since_unix, 1790812800);    /* 26.0.1, 2026-10-01 */
	assert_int_equal(u.exploited_since_unix, 1790812800);
	assert_int_equal(u.n_exploited, 3);
	assert_string_equal(u.exploited, "CVE-2026-9001, CVE-2026-9002, CVE-2026-8001");
	assert_string_equal(ios_update_state_word(u.state), "available");

	/* its own train first: 18.1 goes to 18.7.2 while 26.2 is the model's newest */
	u = judge(catalog, "iPhone13,2", "18.1");
	assert_string_equal(u.target, "18.7.2");
	assert_string_equal(u.latest, "26.2");
	ios_catalog_free(catalog);
}

static void test_other_states(void **state)
{
	(void)state;
	struct ios_catalog *catalog = load_catalog();
	struct ios_update u = judge(catalog, "iPhone15,2", "18.7.2");
	assert_int_equal(u.state, IOS_UPDATE_CURRENT);
	assert_string_equal(u.latest, "26.2");
	assert_string_equal(u.target, "");
	assert_int_equal(u.n_exploited, 0);
	assert_int_equal(judge(catalog, "iPhone8,1", "15.8").state, IOS_UPDATE_ENDED);
	assert_int_equal(judge(catalog, "iPad13,1", "26.0").state, IOS_UPDATE_NOT_LISTED);
	assert_int_equal(judge(catalog, "iPhone99,1", "26.2").state, IOS_UPDATE_NOT_LISTED);
	ios_catalog_free(catalog);
}

struct cves {
	char seen[8][32];
	int n;
};

static void collect(const char *id, size_t length, void *arg)
{
	struct cves *c = arg;
	assert_true(c->n < 8);
	snprintf(c->seen[c->n++], sizeof(c->seen[0]), "%.*s", (int)length, id);
}

static void test_each_cve(void **state)
{
	(void)state;
	struct ios_update u = {.state = IOS_UPDATE_AVAILABLE};
	struct cves c = {.n = 0};
	snprintf(u.exploited, sizeof(u.exploited), "CVE-1, CVE-2, ...");
	ios_update_each_cve(&u, collect, &c);
	assert_int_equal(c.n, 2); /* the "..." of a cut list is not an id */
	assert_string_equal(c.seen[0], "CVE-1");
	assert_string_equal(c.seen[1], "CVE-2");
}

/* A cart of 1000 phones of one model on one version, probed over and over: judged once per
 * catalog generation. */
static void test_cache_judges_once_per_model_version_generation(void **state)
{
	(void)state;
	struct ios_catalog *catalog = load_catalog();
	struct ios_judge_cache *cache = ios_judge_cache_new();
	for (int probe = 0; probe < 1000; probe++) {
		const struct ios_update *u =
		    ios_judge_cache_get(cache, catalog, 1, "iPhone16,1", "26.0");
		assert_non_null(u);
		assert_string_equal(u->target, "26.2");
	}
	assert_int_equal(ios_judge_cache_judged(cache), 1);
	ios_judge_cache_get(cache, catalog, 1, "iPhone16,1", "26.1");
	ios_judge_cache_get(cache, catalog, 1, "iPhone13,2", "26.0");
	ios_judge_cache_get(cache, catalog, 1, "iPhone16,1", "26.0");
	assert_int_equal(ios_judge_cache_judged(cache), 3);
	/* a new catalog: judged again, once */
	for (int probe = 0; probe < 10; probe++)
		ios_judge_cache_get(cache, catalog, 2, "iPhone16,1", "26.0");
	assert_int_equal(ios_judge_cache_judged(cache), 4);
	/* nothing to judge: no catalog, or no version */
	assert_null(ios_judge_cache_get(cache, NULL, 2, "iPhone16,1", "26.0"));
	assert_null(ios_judge_cache_get(cache, catalog, 2, "iPhone16,1", "26.x"));
	assert_null(ios_judge_cache_get(cache, catalog, 2, "iPhone16,1", ""));
	ios_judge_cache_free(cache);
	ios_catalog_free(catalog);
}

/* More pairs than the cache holds (made-up versions): it starts anew and stays right. */
static void test_cache_overflow_stays_right(void **state)
{
	(void)state;
	struct ios_catalog *catalog = load_catalog();
	struct ios_judge_cache *cache = ios_judge_cache_new();
	char version[24];
	for (int i = 0; i < 3 * IOS_JUDGE_CACHE_MAX; i++) {
		snprintf(version, sizeof(version), "26.0.%d", 100 + i);
		const struct ios_update *u =
		    ios_judge_cache_get(cache, catalog, 1, "iPhone16,1", version);
		assert_string_equal(u->target, "26.2");
	}
	ios_judge_cache_free(cache);
	ios_catalog_free(catalog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_available_names_target_date_and_cves),
	    cmocka_unit_test(test_other_states),
	    cmocka_unit_test(test_each_cve),
	    cmocka_unit_test(test_cache_judges_once_per_model_version_generation),
	    cmocka_unit_test(test_cache_overflow_stays_right),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
