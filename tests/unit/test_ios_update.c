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
#include "rules.h"

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

static struct ios_update judge_to(const struct ios_catalog *catalog, const char *type,
                                  const char *version, bool newest_major)
{
	struct ios_version installed;
	struct ios_update out;
	assert_int_equal(ios_version_parse(version, &installed), 0);
	ios_update_judge(catalog, type, &installed, newest_major, &out);
	return out;
}

static struct ios_update judge(const struct ios_catalog *catalog, const char *type,
                               const char *version)
{
	return judge_to(catalog, type, version, false);
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

#define DAY   86400
#define SEP15 1789430400 /* 2026-09-15: 26.0 and 18.7 */
#define OCT01 1790812800 /* 2026-10-01: 26.0.1 */
#define NOV20 1795132800 /* 2026-11-20: 26.2 and 18.7.2 */

/* [IOS] Target=latest: the newest release the model runs, whatever its train. */
static void test_target_latest(void **state)
{
	(void)state;
	struct ios_catalog *catalog = load_catalog();
	/* 18.1 lacks 18.7.2 and 26.2, which fix the same two exploited CVEs: counted once */
	struct ios_update u = judge_to(catalog, "iPhone13,2", "18.1", true);
	assert_int_equal(u.state, IOS_UPDATE_AVAILABLE);
	assert_string_equal(u.target, "26.2");
	assert_int_equal(u.n_exploited, 3);
	assert_string_equal(u.exploited, "CVE-2026-9001, CVE-2026-9002, CVE-2026-8001");
	/* current in its train, behind the newest major since its first release */
	u = judge_to(catalog, "iPhone15,2", "18.7.2", true);
	assert_int_equal(u.state, IOS_UPDATE_AVAILABLE);
	assert_string_equal(u.target, "26.2");
	assert_int_equal(u.behind_since_unix, SEP15);
	assert_int_equal(u.exploited_since_unix, OCT01); /* 26.0.1, not 26.2 */
	/* the XR cannot run 26: 18.7.2 is its newest, and on it the phone is current */
	u = judge_to(catalog, "iPhone11,8", "17.5.1", true);
	assert_string_equal(u.target, "18.7.2");
	assert_int_equal(judge_to(catalog, "iPhone11,8", "18.7.2", true).state, IOS_UPDATE_CURRENT);
	assert_int_equal(judge_to(catalog, "iPhone10,6", "17.7.2", true).state, IOS_UPDATE_CURRENT);
	assert_int_equal(judge_to(catalog, "iPhone8,1", "15.8", true).state, IOS_UPDATE_ENDED);
	ios_catalog_free(catalog);
}

/* The ios_current verdict under Target=latest names the version to go to. */
static void test_target_latest_verdicts(void **state)
{
	(void)state;
	static const struct {
		const char *type, *installed;
		enum verdict_state state;
		const char *reason;
	} cases[] = {
	    {"iPhone15,2", "18.7.2", VERDICT_FAILING,
	     "iOS 18.7.2: update to 26.2 (behind since 2026-09-15, 66 days), fixes 3 actively "
	     "exploited CVEs"},
	    {"iPhone11,8", "18.7.2", VERDICT_OK, "iOS 18.7.2 is current"},
	    {"iPhone16,1", "26.2", VERDICT_OK, "iOS 26.2 is current"},
	};
	struct ios_catalog *catalog = load_catalog();
	const struct ios_rule_input ios = {catalog, 14 * DAY, 2 * DAY, NULL, true};
	struct rule_limits limits = {0}; /* MinimumIOS unset: only the catalog judges */
	RULE_LIMIT(limits, BACKUP_RECENT, 0).number = 7 * DAY;
	struct verdict out[PRECOND_COUNT];
	struct device_facts facts;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		facts_init(&facts, "00008030-001A2B3C4D5E6F70");
		facts.status = PROBE_OK;
		strcpy(facts.product_type, cases[i].type);
		strcpy(facts.product_version, cases[i].installed);
		rules_evaluate(&facts, NULL, &ios, &limits, NOV20, out);
		if (out[PRECOND_IOS_CURRENT].state != cases[i].state ||
		    strcmp(out[PRECOND_IOS_CURRENT].reason, cases[i].reason) != 0)
			fail_msg("%s on %s: %s \"%s\"", cases[i].type, cases[i].installed,
			         verdict_state_name(out[PRECOND_IOS_CURRENT].state),
			         out[PRECOND_IOS_CURRENT].reason);
	}
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
		    ios_judge_cache_get(cache, catalog, 1, false, "iPhone16,1", "26.0");
		assert_non_null(u);
		assert_string_equal(u->target, "26.2");
	}
	assert_int_equal(ios_judge_cache_judged(cache), 1);
	ios_judge_cache_get(cache, catalog, 1, false, "iPhone16,1", "26.1");
	ios_judge_cache_get(cache, catalog, 1, false, "iPhone13,2", "26.0");
	ios_judge_cache_get(cache, catalog, 1, false, "iPhone16,1", "26.0");
	assert_int_equal(ios_judge_cache_judged(cache), 3);
	/* a new catalog: judged again, once */
	for (int probe = 0; probe < 10; probe++)
		ios_judge_cache_get(cache, catalog, 2, false, "iPhone16,1", "26.0");
	assert_int_equal(ios_judge_cache_judged(cache), 4);
	/* nothing to judge: no catalog, or no version */
	assert_null(ios_judge_cache_get(cache, NULL, 2, false, "iPhone16,1", "26.0"));
	assert_null(ios_judge_cache_get(cache, catalog, 2, false, "iPhone16,1", "26.x"));
	assert_null(ios_judge_cache_get(cache, catalog, 2, false, "iPhone16,1", ""));
	/* a new Target: judged again, against the newest major */
	const struct ios_update *u =
	    ios_judge_cache_get(cache, catalog, 2, true, "iPhone15,2", "18.7.2");
	assert_string_equal(u->target, "26.2");
	u = ios_judge_cache_get(cache, catalog, 2, false, "iPhone15,2", "18.7.2");
	assert_int_equal(u->state, IOS_UPDATE_CURRENT);
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
		    ios_judge_cache_get(cache, catalog, 1, false, "iPhone16,1", version);
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
	    cmocka_unit_test(test_target_latest),
	    cmocka_unit_test(test_target_latest_verdicts),
	    cmocka_unit_test(test_each_cve),
	    cmocka_unit_test(test_cache_judges_once_per_model_version_generation),
	    cmocka_unit_test(test_cache_overflow_stays_right),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
