/* SPDX-License-Identifier: ISC */
/* Apple's Software Lookup Service (gdmf.apple.com/v2/pmv) seen as a SOFA feed, so that one
 * builder (ioscat_parse.c) reads both. gdmf's PublicAssetSets.iOS[] entries carry
 * ProductVersion, Build, PostingDate, ExpirationDate and SupportedDevices; its quirks are
 * left to the builder, which already copes with them: iPadOS, watchOS, tvOS and audioOS
 * releases in the same list (only iPhone ProductTypes are kept), each release listed twice
 * (builds N and N+6000: one entry per version and model is kept), several trains at once
 * (each phone is judged within its own major). gdmf says nothing of vulnerabilities: no
 * release counts as fixing exploited CVEs. */
#ifndef BACKUPD_IOSCAT_GDMF_H
#define BACKUPD_IOSCAT_GDMF_H

#include <jansson.h>

/* Whether root has gdmf's shape (a PublicAssetSets object). */
int ioscat_is_gdmf(json_t *root);

/* A new SOFA-shaped OSVersions array, [{"SecurityReleases": [...]}], one release per entry
 * of PublicAssetSets.iOS (ReleaseDate from PostingDate; values shared with root, unchecked:
 * the builder skips wrong types). NULL with a reason in err when there is no iOS array. */
json_t *ioscat_gdmf_as_sofa(json_t *root, char *err, size_t err_size);

#endif
