/* SPDX-License-Identifier: ISC */
/* The last good iOS catalog kept in StateDirectory, so that a restart judges phones by it
 * before the network answers (or while the source is down). The file is the catalog's body
 * as downloaded, after a header naming the URL it came from and the body's ETag and
 * Last-Modified, so that the first request after a restart is conditional (an unchanged
 * catalog costs a 304); it is read back through the same parser as a download, and only for
 * the same CatalogURL. */
#ifndef BACKUPD_IOSCAT_CACHE_H
#define BACKUPD_IOSCAT_CACHE_H

#include <stddef.h>

#include "feed_poll.h"
#include "ioscat.h"

#define IOSCAT_CACHE_NAME "ios-catalog.cache"

/* Replaces dir/ios-catalog.cache with body (len bytes) fetched from url, with its
 * validators (NULL: none), atomically. Blocks (fsync): the poller calls it on its worker
 * thread. Returns 0, or -1 with a reason in err. */
int ioscat_cache_write(const char *dir, const char *url, const struct feed_validators *validators,
                       const char *body, size_t len, char *err, size_t err_size);

/* The catalog cached in dir for url, its validators in validators (empty when none were
 * kept, or no catalog is returned). NULL with warn "" when there is none or it came from
 * another URL; NULL with warn set when it is unusable (not a cache file, over the size bound,
 * refused by the parser): it was then set aside as ios-catalog.cache.corrupt-<unix time>, and
 * warn says so and why. Never fatal. */
struct ios_catalog *ioscat_cache_read(const char *dir, const char *url,
                                      struct feed_validators *validators, char *warn,
                                      size_t warn_size);

#endif
