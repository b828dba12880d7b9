/* SPDX-License-Identifier: ISC */
/* page_assets: the stylesheet and script of the pages, one source file each under
 * http/assets/, compiled in by cmake/embed_assets.cmake (the daemon reads no file to serve
 * them). */
#ifndef BACKUPD_PAGE_ASSETS_H
#define BACKUPD_PAGE_ASSETS_H

#include <stddef.h>

struct page_asset {
	const char *path; /* "/assets/cart.css" */
	const char *content_type;
	const unsigned char *bytes;
	size_t length;
};

/* Ends with an entry whose path is NULL. */
extern const struct page_asset page_assets[];

#endif
