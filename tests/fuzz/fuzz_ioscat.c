/* SPDX-License-Identifier: ISC */
/* libFuzzer target: ioscat_parse on one iOS catalog body (SOFA or gdmf, by its shape), then
 * a lookup in what it built. Seeds: tests/fixtures/ios-catalog; keys: ioscat.dict. */
#include <stdlib.h>
#include <string.h>

#include "ioscat_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the lookups rely on: models sorted, their release ranges inside the table. */
static int catalog_sound(const struct ios_catalog *c)
{
	for (size_t i = 0; i < c->n_models; i++) {
		const struct ios_model *m = &c->models[i];
		if (!memchr(m->product_type, '\0', sizeof(m->product_type)) || m->count == 0)
			return 0;
		if (i > 0 && strcmp(c->models[i - 1].product_type, m->product_type) >= 0)
			return 0;
		for (uint32_t j = 0; j < m->count; j++)
			if (c->model_releases[m->first + j] >= c->n_releases)
				return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct ios_catalog *catalog = ioscat_parse((const char *)data, size, err, sizeof(err));
	struct ios_version v = {{17, 0, 0, 0}};
	struct ios_target t;
	char list[512];

	if (!catalog) {
		if (err[0] == '\0')
			abort(); /* a refused catalog must say why */
		return 0;
	}
	if (!catalog_sound(catalog))
		abort();
	for (size_t i = 0; i < catalog->n_models; i++) {
		ios_catalog_target(catalog, catalog->models[i].product_type, &v, i % 2 == 0, &t);
		ios_catalog_exploited_list(catalog, catalog->models[i].product_type, &v, i % 2 == 0,
		                           list, sizeof(list));
	}
	ios_catalog_free(catalog);
	return 0;
}
