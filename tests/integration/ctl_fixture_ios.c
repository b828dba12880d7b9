/* SPDX-License-Identifier: ISC */
/* ctl_fixture_ios.h: the fixtures' phones judged against a catalog file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl_fixture_ios.h"
#include "ioscat_parse.h"
#include "rules.h"

#define IOSCAT_FIXTURE_MAX (1 << 20)

static struct ios_catalog *load_catalog(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *body = malloc(IOSCAT_FIXTURE_MAX), err[256];
	if (f == NULL || body == NULL) {
		fprintf(stderr, "fixture: cannot read %s\n", path);
		exit(2);
	}
	size_t len = fread(body, 1, IOSCAT_FIXTURE_MAX, f);
	fclose(f);
	struct ios_catalog *catalog = ioscat_parse(body, len, err, sizeof(err));
	free(body);
	if (catalog == NULL) {
		fprintf(stderr, "fixture: %s: %s\n", path, err);
		exit(2);
	}
	return catalog;
}

void fixture_ios_judge(struct device_record *records, const json_t *devices, size_t n,
                       const char *catalog_path, int64_t now)
{
	struct ios_catalog *catalog = load_catalog(catalog_path);
	struct backupd_config config;
	config_defaults(&config);
	for (size_t i = 0; i < n; i++) {
		struct device_record *rec = &records[i];
		struct ios_version installed;
		if (ios_version_parse(rec->facts.product_version, &installed) < 0)
			continue;
		ios_update_judge(catalog, rec->facts.product_type, &installed, false, &rec->ios);
		const json_t *verdicts = json_object_get(json_array_get(devices, i), "verdicts");
		if (rec->facts.status != PROBE_OK || json_object_get(verdicts, "ios_current"))
			continue;
		struct rule_limits limits = config_limits_for(&config, rec->udid);
		struct ios_rule_input ios = {catalog, config.ios_update_grace_s,
		                             config.ios_exploited_grace_s, &rec->ios, false};
		struct verdict out[PRECOND_COUNT];
		rules_evaluate(&rec->facts, NULL, &ios, &limits, now, out);
		rec->verdicts[PRECOND_IOS_CURRENT] = out[PRECOND_IOS_CURRENT];
	}
	config_free(&config);
	ios_catalog_free(catalog);
}
