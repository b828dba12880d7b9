/* SPDX-License-Identifier: ISC */
/* Reads SOFA's iOS feed (v2: sofafeed.macadmins.io/v2/ios_data_feed.json) or Apple's
 * (gdmf.apple.com/v2/pmv), told apart by their shape, into an iOS catalog. */
#ifndef BACKUPD_IOSCAT_PARSE_H
#define BACKUPD_IOSCAT_PARSE_H

#include <stddef.h>

#include "ioscat.h"

/* Bounds on what one catalog may hold: a hostile feed cannot make the daemon build more. */
#define IOSCAT_RELEASES_MAX 4096
#define IOSCAT_PAIRS_MAX    (256 * 1024) /* (model, release) pairs */
/* A catalog is about 200 KB today (SOFA) or 150 KB (gdmf); 8 MiB leaves room for growth and
 * bounds a hostile one, downloaded or cached. */
#define IOSCAT_BODY_MAX (8 * 1024 * 1024)

/* Parses body (len bytes, not NUL-terminated): OSVersions[] of {Latest, SecurityReleases[]};
 * each release's ProductVersion, ReleaseDate ("YYYY-MM-DD", optionally "THH:MM:SSZ"),
 * SupportedDevices (absent: those of its train's Latest) and ActivelyExploitedCVEs. Only
 * iPhone ProductTypes are kept (the feed lists iPads too); a release listed twice for a model
 * counts once; a release with a field of the wrong type or an unreadable version or date is
 * skipped; unknown fields are ignored. Returns the catalog, or NULL with a one-line reason in
 * err (not JSON, no OSVersions, no usable iPhone release, over the bounds above). A document
 * with a PublicAssetSets object is read as gdmf's instead (ioscat_gdmf.h). */
struct ios_catalog *ioscat_parse(const char *body, size_t len, char *err, size_t err_size);

#endif
