/* SPDX-License-Identifier: ISC */
/* pages_render: the pages' renderers and what they read. Each writes the content of <main>
 * (the part the live updates swap) and says its title and breadcrumbs; pages.c puts the
 * frame around it or sends it as the live JSON. */
#ifndef BACKUPD_PAGES_RENDER_H
#define BACKUPD_PAGES_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "device.h"
#include "metrics_text.h"
#include "page_frame.h"
#include "page_model.h"

struct page_ctx {
	const struct device_record *const *records;
	size_t n_records;
	const struct page_model *model;
	const struct backupd_config *config;
	const struct verdict *service; /* Apple's iCloud Backup, as the rules judge it */
	int64_t now_unix;
};

#define PAGE_TITLE_MAX  200
#define PAGE_CRUMBS_MAX 3

struct page_doc {
	struct metrics_text main;
	char title[PAGE_TITLE_MAX];
	struct page_crumb crumbs[PAGE_CRUMBS_MAX];
	size_t n_crumbs;
	char crumb_href[PAGE_TITLE_MAX * 3]; /* the cart's address, for a phone's breadcrumb */
	char crumb_text[PAGE_TITLE_MAX];
};

/* arg: the decoded path segment after the page's prefix ("" for "/"). False: no such cart
 * or phone (404). */
bool page_index(const struct page_ctx *ctx, const char *arg, struct page_doc *doc);
bool page_cart(const struct page_ctx *ctx, const char *arg, struct page_doc *doc);
bool page_phone(const struct page_ctx *ctx, const char *arg, struct page_doc *doc);

#endif
