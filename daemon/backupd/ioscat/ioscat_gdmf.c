/* SPDX-License-Identifier: ISC */
/* ioscat_gdmf: gdmf's PublicAssetSets.iOS[] -> SOFA's OSVersions[] (ioscat_gdmf.h). */
#include <stdio.h>

#include "ioscat_gdmf.h"

int ioscat_is_gdmf(json_t *root)
{
	return json_is_object(json_object_get(root, "PublicAssetSets"));
}

/* {ProductVersion, ReleaseDate, SupportedDevices} of one gdmf entry; NULL if not an object. */
static json_t *as_release(json_t *entry)
{
	static const char *const keys[][2] = {{"ProductVersion", "ProductVersion"},
	                                      {"PostingDate", "ReleaseDate"},
	                                      {"SupportedDevices", "SupportedDevices"}};
	json_t *release;

	if (!json_is_object(entry) || !(release = json_object()))
		return NULL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *value = json_object_get(entry, keys[i][0]);

		if (value)
			json_object_set(release, keys[i][1], value);
	}
	return release;
}

json_t *ioscat_gdmf_as_sofa(json_t *root, char *err, size_t err_size)
{
	json_t *entries = json_object_get(json_object_get(root, "PublicAssetSets"), "iOS");
	json_t *releases, *entry;
	size_t i;

	if (!json_is_array(entries)) {
		snprintf(err, err_size, "no PublicAssetSets.iOS array");
		return NULL;
	}
	if (!(releases = json_array())) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	json_array_foreach(entries, i, entry)
	{
		json_t *release = as_release(entry);

		if (release)
			json_array_append_new(releases, release);
	}
	return json_pack("[{s:o}]", "SecurityReleases", releases);
}
