/* SPDX-License-Identifier: ISC */
/* page_frame: what every page has around its <main>: the document head (stylesheet and
 * script from /assets, no inline code), the banner with the way back, the footer that says
 * how the page stays current, and the landmarks. */
#ifndef BACKUPD_PAGE_FRAME_H
#define BACKUPD_PAGE_FRAME_H

#include <stddef.h>

#include "metrics_text.h"

#define PAGE_NOSCRIPT_REFRESH_S 10 /* how often a page reloads itself with scripts off */

struct page_crumb {
	const char *text; /* raw: escaped here */
	const char *href; /* already a URL the page built (url_segment), or NULL: this page */
};

/* The document up to <main>'s content. title is raw text; live is the page's live address
 * (built with url_segment) and etag its content's tag. */
void page_frame_open(struct metrics_text *out, const char *title, const struct page_crumb *crumbs,
                     size_t n_crumbs, const char *live, const char *etag);
/* From </main> to the end. */
void page_frame_close(struct metrics_text *out);

#endif
