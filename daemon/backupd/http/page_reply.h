/* SPDX-License-Identifier: ISC */
/* page_reply: what one page request gets, shared by the router (pages_route.c) that fills it
 * and the cache (page_cache.c) that keeps it, so that neither needs the other's header. */
#ifndef BACKUPD_PAGE_REPLY_H
#define BACKUPD_PAGE_REPLY_H

#include <stddef.h>

#include "metrics_text.h"

#define PAGE_ETAG_MAX 24

/* What a request gets; body is owned (free with page_reply_free) unless bytes is set. */
struct page_reply {
	int status; /* 200, 404 */
	const char *content_type;
	struct metrics_text body;
	const unsigned char *bytes; /* a compiled-in asset instead of body */
	size_t n_bytes;
	char etag[PAGE_ETAG_MAX]; /* "\"0123456789abcdef\"", or "" */
};

void page_reply_free(struct page_reply *reply);

#endif
