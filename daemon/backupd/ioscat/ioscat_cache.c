/* SPDX-License-Identifier: ISC */
/* ioscat_cache: the cache file (ioscat_cache.h): "backupd-ios-catalog 2 URL\n", "etag VALUE\n",
 * "last-modified VALUE\n" (either value may be empty), then the body. A file of version 1 (no
 * validator lines, written before they were kept) is read too. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "ioscat_cache.h"
#include "ioscat_parse.h"

#define HEADER_PREFIX    "backupd-ios-catalog 2 "
#define HEADER_PREFIX_V1 "backupd-ios-catalog 1 "
#define ETAG_PREFIX      "etag "
#define MODIFIED_PREFIX  "last-modified "
#define HEADER_MAX       (sizeof(HEADER_PREFIX) + 1024) /* the URL is at most 511 bytes */
#define CACHE_MAX        (IOSCAT_BODY_MAX + HEADER_MAX + sizeof(struct feed_validators) + 32)

/* A validator as written: a line break in it would end its line early, so it is dropped
 * (HTTP header values have none; this only keeps a file from lying). */
static const char *line_safe(const char *value)
{
	return strpbrk(value, "\r\n") ? "" : value;
}

int ioscat_cache_write(const char *dir, const char *url, const struct feed_validators *validators,
                       const char *body, size_t len, char *err, size_t err_size)
{
	static const struct feed_validators none;
	if (!validators)
		validators = &none;
	const char *etag = line_safe(validators->etag),
	           *modified = line_safe(validators->last_modified);
	size_t header_len = strlen(HEADER_PREFIX) + strlen(url) + 1 + strlen(ETAG_PREFIX) +
	                    strlen(etag) + 1 + strlen(MODIFIED_PREFIX) + strlen(modified) + 1;
	char *text = malloc(header_len + len + 1);
	int rc;

	if (!text) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	snprintf(text, header_len + 1, "%s%s\n%s%s\n%s%s\n", HEADER_PREFIX, url, ETAG_PREFIX, etag,
	         MODIFIED_PREFIX, modified);
	memcpy(text + header_len, body, len);
	rc = atomic_file_write(dir, IOSCAT_CACHE_NAME, text, header_len + len, err, err_size);
	free(text);
	return rc;
}

/* Reads the whole regular file at path, at most CACHE_MAX bytes, into a malloc'ed *out. 0, or
 * -1 with errno set (EFBIG when too large), or 1 when it does not exist. */
static int read_bounded(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	ssize_t got = 0;
	size_t have = 0;
	int bad;

	*out = NULL;
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	bad = fstat(fd, &st) < 0              ? errno
	      : !S_ISREG(st.st_mode)          ? EINVAL
	      : st.st_size > (off_t)CACHE_MAX ? EFBIG
	                                      : 0;
	if (bad) {
		close(fd);
		errno = bad;
		return -1;
	}
	*out = malloc((size_t)st.st_size + 1);
	while (*out && have < (size_t)st.st_size &&
	       (got = read(fd, *out + have, (size_t)st.st_size - have)) > 0)
		have += (size_t)got;
	close(fd);
	if (!*out || got < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = have;
	return 0;
}

/* One line "<prefix>VALUE\n" at *at (before end) into value; advances *at. -1 when it is not. */
static int validator_line(const char **at, const char *end, const char *prefix, char *value,
                          size_t size)
{
	size_t prefix_len = strlen(prefix);
	const char *newline = memchr(*at, '\n', (size_t)(end - *at));

	if (!newline || (size_t)(newline - *at) < prefix_len || memcmp(*at, prefix, prefix_len) ||
	    (size_t)(newline - *at) - prefix_len >= size)
		return -1;
	snprintf(value, size, "%.*s", (int)((size_t)(newline - *at) - prefix_len),
	         *at + prefix_len);
	*at = newline + 1;
	return 0;
}

/* The body after a header naming url: its offset, with the validators of a version 2 file in
 * validators; -1 no header (or not a cache file), -2 the header names another URL. */
static long body_offset(const char *text, size_t len, const char *url,
                        struct feed_validators *validators)
{
	const char *newline = memchr(text, '\n', len < HEADER_MAX ? len : HEADER_MAX);
	size_t prefix = strlen(HEADER_PREFIX);
	bool v1 = len >= prefix && memcmp(text, HEADER_PREFIX_V1, prefix) == 0;
	const char *at;

	memset(validators, 0, sizeof(*validators));
	if (!newline || (size_t)(newline - text) < prefix ||
	    (!v1 && memcmp(text, HEADER_PREFIX, prefix)))
		return -1;
	if ((size_t)(newline - text) != prefix + strlen(url) ||
	    memcmp(text + prefix, url, strlen(url)) != 0)
		return -2;
	at = newline + 1;
	if (!v1 && (validator_line(&at, text + len, ETAG_PREFIX, validators->etag,
	                           sizeof(validators->etag)) < 0 ||
	            validator_line(&at, text + len, MODIFIED_PREFIX, validators->last_modified,
	                           sizeof(validators->last_modified)) < 0))
		return -1;
	return at - text;
}

static void set_aside(const char *path, const char *why, char *warn, size_t warn_size)
{
	char aside[PATH_MAX];

	if (atomic_file_set_aside(path, aside, sizeof(aside)) == 0)
		snprintf(warn, warn_size, "%s: %s; set aside as %s", path, why, aside);
	else
		snprintf(warn, warn_size, "%s: %s; could not set it aside (%s)", path, why,
		         strerror(errno));
}

struct ios_catalog *ioscat_cache_read(const char *dir, const char *url,
                                      struct feed_validators *validators, char *warn,
                                      size_t warn_size)
{
	char path[PATH_MAX], why[256];
	struct ios_catalog *catalog = NULL;
	char *text;
	size_t len = 0;
	long offset;
	int rc;

	warn[0] = '\0';
	memset(validators, 0, sizeof(*validators));
	snprintf(path, sizeof(path), "%s/" IOSCAT_CACHE_NAME, dir);
	rc = read_bounded(path, &text, &len);
	if (rc == 1)
		return NULL;
	if (rc < 0) {
		snprintf(why, sizeof(why), "cannot read it: %s", strerror(errno));
		set_aside(path, why, warn, warn_size);
		return NULL;
	}
	offset = body_offset(text, len, url, validators);
	if (offset == -1)
		set_aside(path, "not an iOS catalog cache file", warn, warn_size);
	else if (offset >= 0 &&
	         !(catalog = ioscat_parse(text + offset, len - (size_t)offset, why, sizeof(why))))
		set_aside(path, why, warn, warn_size);
	if (!catalog) /* validators of no body would make a 304 keep nothing */
		memset(validators, 0, sizeof(*validators));
	free(text);
	return catalog;
}
