/* SPDX-License-Identifier: ISC */
/* ioscat: SOFA's iOS feed parsed into the per-model table (tests/fixtures/ios-catalog/), the
 * choice of the release a phone should go to, and the ios_current verdict built on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "ioscat_parse.h"
#include "ioscat_poll.h"
#include "rules.h"

#define DAY 86400LL

static int64_t utc_day(int year, int month, int day)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day};
	return (int64_t)timegm(&tm);
}

static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *data = malloc(1 << 20);

	snprintf(path, sizeof(path), "%s/%s", IOSCAT_FIXTURE_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(data);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	return data;
}

static struct ios_catalog *load(const char *name, char *err, size_t err_size)
{
	size_t len;
	char *body = read_fixture(name, &len);
	struct ios_catalog *catalog;

	err[0] = '\0';
	catalog = ioscat_parse(body, len, err, err_size);
	free(body);
	return catalog;
}

static struct ios_catalog *load_good(void)
{
	char err[256];
	struct ios_catalog *catalog = load("sofa-v2.json", err, sizeof(err));

	if (!catalog)
		fail_msg("sofa-v2.json refused: %s", err);
	return catalog;
}

/* ---- parse ------------------------------------------------------------------------- */

static void test_bad_catalogs_say_why(void **state)
{
	static const struct {
		const char *file, *err_part;
	} cases[] = {
	    {"truncated.json", "not JSON"},
	    {"not-a-catalog.json", "no OSVersions array"},
	    {"ipad-only.json", "no iPhone release"},
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ios_catalog *catalog = load(cases[i].file, err, sizeof(err));
		if (catalog || !strstr(err, cases[i].err_part))
			fail_msg("%s: catalog %p, err \"%s\"", cases[i].file, (void *)catalog, err);
	}
}

/* Only the one sound release of wrong-types.json counts; the rest are skipped, not fatal. */
static void test_wrong_types_are_skipped(void **state)
{
	char err[256];
	struct ios_catalog *catalog = load("wrong-types.json", err, sizeof(err));
	struct ios_version v;
	struct ios_target t;

	(void)state;
	assert_non_null(catalog);
	assert_int_equal(catalog->n_models, 1);
	assert_string_equal(catalog->models[0].product_type, "iPhone12,1");
	assert_int_equal(catalog->models[0].count, 1);
	ios_version_parse("17.0", &v);
	ios_catalog_target(catalog, "iPhone12,1", &v, false, &t);
	assert_int_equal(t.standing, IOS_BEHIND);
	assert_string_equal(t.target->version, "17.5.1");
	assert_int_equal(t.n_exploited, 1); /* "CVE-2024-1"; 3 and null are no ids */
	assert_string_equal(t.target->exploited, "CVE-2024-1");
	ios_catalog_free(catalog);
}

static void test_table_per_model(void **state)
{
	struct ios_catalog *catalog = load_good();
	size_t found = 0;

	(void)state;
	for (size_t i = 0; i < catalog->n_models; i++) {
		const struct ios_model *m = &catalog->models[i];
		assert_memory_equal(m->product_type, "iPhone", 6); /* iPads left out */
		if (i > 0)
			assert_true(strcmp(catalog->models[i - 1].product_type, m->product_type) <
			            0);
		for (uint32_t j = 1; j < m->count; j++) /* newest first, each version once */
			assert_true(
			    ios_version_cmp(
			        &catalog->releases[catalog->model_releases[m->first + j - 1]].v,
			        &catalog->releases[catalog->model_releases[m->first + j]].v) > 0);
		if (strcmp(m->product_type, "iPhone16,1") == 0) {
			found++;
			/* 26.2 (listed twice), 26.1 (devices of its Latest), 26.0.1, 26.0,
			 * 18.7.2, 18.7.1, 18.7, 18.1 */
			assert_int_equal(m->count, 8);
		}
	}
	assert_int_equal(found, 1);
	assert_int_equal(catalog->newest_unix, utc_day(2026, 11, 20));
	ios_catalog_free(catalog);
}

/* More releases than IOSCAT_RELEASES_MAX: refused whole, not cut. */
static void test_huge_catalog_refused(void **state)
{
	const char *release = "{\"ProductVersion\":\"18.1\",\"ReleaseDate\":\"2026-01-01\","
	                      "\"SupportedDevices\":[\"iPhone15,2\"]},";
	size_t one = strlen(release), n = IOSCAT_RELEASES_MAX + 1;
	size_t size = 64 + n * one;
	char *body = malloc(size), *p = body, err[256];

	(void)state;
	assert_non_null(body);
	p += sprintf(p, "{\"OSVersions\":[{\"SecurityReleases\":[");
	for (size_t i = 0; i < n; i++, p += one)
		memcpy(p, release, one);
	p[-1] = ']';
	p += sprintf(p, "}]}");
	assert_null(ioscat_parse(body, (size_t)(p - body), err, sizeof(err)));
	assert_non_null(strstr(err, "more than 4096 releases"));
	free(body);
}

/* ---- the choice of target -------------------------------------------------------------- */

struct target_case {
	const char *type, *installed;
	enum ios_standing standing;
	const char *target; /* IOS_BEHIND */
	const char *latest;
	int n_exploited;
};

/* newest_major: [IOS] Target=latest */
static void check_targets(const struct ios_catalog *catalog, const struct target_case *cases,
                          size_t n, bool newest_major)
{
	for (size_t i = 0; i < n; i++) {
		const struct target_case *c = &cases[i];
		struct ios_version v;
		struct ios_target t;

		assert_int_equal(ios_version_parse(c->installed, &v), 0);
		ios_catalog_target(catalog, c->type, &v, newest_major, &t);
		if (t.standing != c->standing || t.n_exploited != c->n_exploited ||
		    (c->target && strcmp(t.target->version, c->target) != 0) ||
		    (c->latest && strcmp(t.latest->version, c->latest) != 0))
			fail_msg("%s on %s%s: standing %d target %s latest %s exploited %d",
			         c->type, c->installed, newest_major ? " (Target=latest)" : "",
			         t.standing, t.target ? t.target->version : "-",
			         t.latest ? t.latest->version : "-", t.n_exploited);
	}
}

static void test_target_choice(void **state)
{
	static const struct target_case cases[] = {
	    /* own train first: 18.1 goes to 18.7.2, not 26.2, and lacks its 2 exploited fixes */
	    {"iPhone13,2", "18.1", IOS_BEHIND, "18.7.2", "26.2", 2},
	    /* 26.0 lacks 26.0.1 (1 exploited), 26.1, 26.2 (listed twice, counted once: 2) */
	    {"iPhone16,1", "26.0", IOS_BEHIND, "26.2", "26.2", 3},
	    {"iPhone16,1", "26.1", IOS_BEHIND, "26.2", "26.2", 2},
	    {"iPhone16,1", "26.2", IOS_UP_TO_DATE, NULL, "26.2", 0},
	    {"iPhone16,1", "26.3", IOS_UP_TO_DATE, NULL, "26.2", 0}, /* a beta: ahead */
	    /* current in its own train although a newer major exists */
	    {"iPhone15,2", "18.7.2", IOS_UP_TO_DATE, NULL, "26.2", 0},
	    /* 17 is still a train for the XR: 17.7.2 */
	    {"iPhone11,8", "17.5.1", IOS_BEHIND, "17.7.2", "18.7.2", 1},
	    /* a train the catalog no longer has (16): any newer release counts */
	    {"iPhone15,2", "16.7.8", IOS_BEHIND, "26.2", "26.2", 6},
	    /* the X: only in 17.x; 17.7.2 is its last */
	    {"iPhone10,6", "17.7.2", IOS_UP_TO_DATE, NULL, "17.7.2", 0},
	    {"iPhone8,1", "15.8", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	    {"iPad13,1", "26.0", IOS_UNKNOWN_MODEL, NULL, NULL, 0}, /* iPadOS ignored */
	};
	struct ios_catalog *catalog = load_good();

	(void)state;
	check_targets(catalog, cases, sizeof(cases) / sizeof(cases[0]), false);
	ios_catalog_free(catalog);
}

/* Target=latest: the newest release the model runs, of any major; the count is the
 * catalog's, per release (ios_update_judge counts an id two trains fix once). */
static void test_target_latest(void **state)
{
	static const struct target_case cases[] = {
	    /* 18.1 goes to 26.2: lacks 26.2 (2), 26.0.1 (1) and 18.7.2 (2) */
	    {"iPhone13,2", "18.1", IOS_BEHIND, "26.2", "26.2", 5},
	    /* current in its own train, behind the newest major */
	    {"iPhone15,2", "18.7.2", IOS_BEHIND, "26.2", "26.2", 3},
	    /* the XR's newest major is 18: it goes to 18.7.2, not 26.2 */
	    {"iPhone11,8", "17.5.1", IOS_BEHIND, "18.7.2", "18.7.2", 3},
	    /* and on 18.7.2 it is current: it cannot run 26 */
	    {"iPhone11,8", "18.7.2", IOS_UP_TO_DATE, NULL, "18.7.2", 0},
	    /* the X: 17 is its newest major */
	    {"iPhone10,6", "17.7.2", IOS_UP_TO_DATE, NULL, "17.7.2", 0},
	    {"iPhone16,1", "26.2", IOS_UP_TO_DATE, NULL, "26.2", 0},
	    {"iPhone16,1", "26.0", IOS_BEHIND, "26.2", "26.2", 3},
	    {"iPhone8,1", "15.8", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	    {"iPad13,1", "26.0", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	};
	struct ios_catalog *catalog = load_good();

	(void)state;
	check_targets(catalog, cases, sizeof(cases) / sizeof(cases[0]), true);
	ios_catalog_free(catalog);
}

/* ---- gdmf (Apple's own catalog) ------------------------------------------------------- */

static const struct ios_model *model_of(const struct ios_catalog *catalog, const char *type)
{
	for (size_t i = 0; i < catalog->n_models; i++)
		if (strcmp(catalog->models[i].product_type, type) == 0)
			return &catalog->models[i];
	return NULL;
}

/* iPadOS, watchOS, tvOS and audioOS entries of the iOS list ignored; each release listed
 * twice (N, N+6000) counted once; several trains live at once; no exploited CVEs. */
static void test_gdmf_target_choice(void **state)
{
	static const struct target_case cases[] = {
	    {"iPhone16,1", "26.1", IOS_BEHIND, "26.2", "26.2", 0},
	    /* 27.0 (iPad only) and 26.5 (tvOS) are not its releases */
	    {"iPhone16,1", "26.2", IOS_UP_TO_DATE, NULL, "26.2", 0},
	    {"iPhone13,2", "18.1", IOS_BEHIND, "18.7.2", "26.2", 0},
	    {"iPhone15,2", "18.7.2", IOS_UP_TO_DATE, NULL, "26.2", 0},
	    {"iPhone11,8", "17.5.1", IOS_BEHIND, "17.7.2", "18.7.2", 0},
	    {"iPad13,1", "26.0", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	    {"Watch4,1", "9.0", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	    {"AppleTV11,1", "26.0", IOS_UNKNOWN_MODEL, NULL, NULL, 0},
	};
	char err[256];
	struct ios_catalog *catalog = load("gdmf.json", err, sizeof(err));
	const struct ios_model *m;

	(void)state;
	if (!catalog)
		fail_msg("gdmf.json refused: %s", err);
	check_targets(catalog, cases, sizeof(cases) / sizeof(cases[0]), false);
	assert_non_null(m = model_of(catalog, "iPhone16,1"));
	assert_int_equal(m->count, 3); /* 26.2, 26.1, 18.7.2: each once though listed twice */
	ios_catalog_free(catalog);
}

/* Wrong types, unknown fields, entries without devices or with unreadable values skipped;
 * no iOS list refused with its reason. */
static void test_gdmf_hostile(void **state)
{
	char err[256];
	struct ios_catalog *catalog = load("gdmf-hostile.json", err, sizeof(err));
	const struct ios_model *m;

	(void)state;
	if (!catalog)
		fail_msg("gdmf-hostile.json refused: %s", err);
	assert_int_equal(catalog->n_models, 1);
	assert_non_null(m = model_of(catalog, "iPhone16,1"));
	assert_int_equal(m->count, 1);
	assert_string_equal(catalog->releases[catalog->model_releases[m->first]].version, "26.1");
	ios_catalog_free(catalog);
	assert_null(load("gdmf-no-list.json", err, sizeof(err)));
	assert_non_null(strstr(err, "no PublicAssetSets.iOS array"));
}

/* gdmf's chain ends at Apple's root, which Debian lacks: pinned to the shipped copy. */
static void test_default_ca(void **state)
{
	const char *ca = ioscat_default_ca("https://gdmf.apple.com/v2/pmv");

	(void)state;
	assert_true(strlen(ca) > 17);
	assert_string_equal(ca + strlen(ca) - 17, "apple-root-ca.pem");
	assert_string_equal(ioscat_default_ca("https://sofafeed.macadmins.io/v2/x.json"), "");
	assert_string_equal(ioscat_default_ca("https://gdmf.apple.com.evil.example/"), "");
}

static void test_exploited_list(void **state)
{
	struct ios_catalog *catalog = load_good();
	struct ios_version v;
	char list[256];

	(void)state;
	ios_version_parse("26.0", &v);
	ios_catalog_exploited_list(catalog, "iPhone16,1", &v, false, list, sizeof(list));
	assert_string_equal(list, "CVE-2026-9001, CVE-2026-9002, CVE-2026-8001");
	ios_catalog_free(catalog);
}

static void test_version_parse(void **state)
{
	static const char *const bad[] = {"",          "17.",        ".1", "17.x",
	                                  "1.2.3.4.5", "1234567890", "17 "};
	struct ios_version a, b;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ios_version_parse(bad[i], &a) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(ios_version_parse("17.10", &a), 0);
	assert_int_equal(ios_version_parse("17.9.1", &b), 0);
	assert_true(ios_version_cmp(&a, &b) > 0);
	assert_int_equal(ios_version_parse("17", &a), 0);
	assert_int_equal(ios_version_parse("17.0.0", &b), 0);
	assert_int_equal(ios_version_cmp(&a, &b), 0);
}

/* ---- the verdict ------------------------------------------------------------------------ */

struct verdict_case {
	const char *type, *installed, *minimum;
	int64_t now;
	enum verdict_state state;
	const char *reason;
};

static void test_verdicts(void **state)
{
	const int64_t nov20 = utc_day(2026, 11, 20);
	const struct verdict_case cases[] = {
	    /* exploited fixes out 1 day: inside ExploitedGrace (2 d) */
	    {"iPhone16,1", "26.1", "", nov20 + DAY, VERDICT_OK,
	     "iOS 26.1: update to 26.2 (behind since 2026-11-20, 1 day), fixes 2 actively "
	     "exploited CVEs"},
	    /* ... and failing once ExploitedGrace has passed, long before UpdateGrace */
	    {"iPhone16,1", "26.1", "", nov20 + 2 * DAY, VERDICT_FAILING,
	     "iOS 26.1: update to 26.2 (behind since 2026-11-20, 2 days), fixes 2 actively "
	     "exploited CVEs"},
	    /* UpdateGrace (14 d) counts from the first release it lacks (26.1, no exploited
	     * fix; 26.2's are not out yet at that now) */
	    {"iPhone16,1", "26.0.1", "", utc_day(2026, 10, 28) + 13 * DAY, VERDICT_OK,
	     "iOS 26.0.1: update to 26.2 (behind since 2026-10-28, 13 days), fixes 2 actively "
	     "exploited CVEs"},
	    {"iPhone16,1", "26.0.1", "", utc_day(2026, 10, 28) + 14 * DAY, VERDICT_FAILING,
	     "iOS 26.0.1: update to 26.2 (behind since 2026-10-28, 14 days), fixes 2 actively "
	     "exploited CVEs"},
	    {"iPhone11,8", "17.6.1", "", utc_day(2024, 11, 19) + DAY, VERDICT_OK,
	     "iOS 17.6.1: update to 17.7.2 (behind since 2024-11-19, 1 day), fixes 1 actively "
	     "exploited CVE"},
	    {"iPhone15,2", "18.7.2", "", nov20, VERDICT_OK,
	     "iOS 18.7.2 is current in its train (26.2 available)"},
	    {"iPhone16,1", "26.2", "", nov20, VERDICT_OK, "iOS 26.2 is current"},
	    {"iPhone8,1", "15.8", "", nov20, VERDICT_FAILING,
	     "iOS 15.8: no release in the iOS catalog supports iPhone8,1 any more; it no longer "
	     "receives iOS updates"},
	    /* not in the catalog and not ended: an iPad, an iPhone newer than the catalog */
	    {"iPad13,1", "26.0", "", nov20, VERDICT_OK,
	     "iOS 26.0: iPad13,1 is not in the iOS catalog; not judged by it"},
	    {"iPhone99,1", "26.2", "", nov20, VERDICT_OK,
	     "iOS 26.2: iPhone99,1 is not in the iOS catalog; not judged by it"},
	    /* MinimumIOS stays a floor, judged first */
	    {"iPhone16,1", "26.2", "27", nov20, VERDICT_FAILING,
	     "iOS 26.2 is older than the required 27"},
	};
	struct ios_catalog *catalog = load_good();
	const struct ios_rule_input ios = {catalog, 14 * DAY, 2 * DAY, NULL, false};
	struct backupd_config config;
	struct device_facts facts;
	struct verdict out[PRECOND_COUNT];

	(void)state;
	config_defaults(&config);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct verdict_case *c = &cases[i];
		struct rule_limits limits = config.limits;

		facts_init(&facts, "00008030-001A2B3C4D5E6F70");
		facts.status = PROBE_OK;
		strcpy(facts.product_type, c->type);
		strcpy(facts.product_version, c->installed);
		strcpy(RULE_LIMIT(limits, IOS_CURRENT, 0).text, c->minimum);
		rules_evaluate(&facts, NULL, &ios, &limits, c->now, out);
		if (out[PRECOND_IOS_CURRENT].state != c->state ||
		    strcmp(out[PRECOND_IOS_CURRENT].reason, c->reason) != 0)
			fail_msg("case %zu: %s \"%s\"", i,
			         verdict_state_name(out[PRECOND_IOS_CURRENT].state),
			         out[PRECOND_IOS_CURRENT].reason);
	}
	ios_catalog_free(catalog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_catalogs_say_why),
	    cmocka_unit_test(test_wrong_types_are_skipped),
	    cmocka_unit_test(test_table_per_model),
	    cmocka_unit_test(test_huge_catalog_refused),
	    cmocka_unit_test(test_target_choice),
	    cmocka_unit_test(test_target_latest),
	    cmocka_unit_test(test_gdmf_target_choice),
	    cmocka_unit_test(test_gdmf_hostile),
	    cmocka_unit_test(test_default_ca),
	    cmocka_unit_test(test_exploited_list),
	    cmocka_unit_test(test_version_parse),
	    cmocka_unit_test(test_verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
