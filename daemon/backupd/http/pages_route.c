/* SPDX-License-Identifier: ISC */
/* pages_route: path -> renderer, and the page or live JSON around what it wrote. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "page_assets.h"
#include "page_escape.h"
#include "pages.h"
#include "pages_render.h"

#define LIVE_PREFIX        "/live"
#define PAGE_MAIN_HINT_MAX (8u << 20)

typedef bool page_fn(const struct page_ctx *ctx, const char *arg, struct page_doc *doc);

static const struct route {
	const char *prefix; /* "/" matches exactly; others take one decoded segment after */
	page_fn *render;
} routes[] = {
    {"/", page_index},
    {"/cart/", page_cart},
    {"/phone/", page_phone},
};

static void set_etag(struct page_reply *reply, const char *data, size_t length)
{
	uint64_t hash = 0xcbf29ce484222325ULL; /* FNV-1a: cheap, and only equality matters */
	for (size_t i = 0; i < length; i++)
		hash = (hash ^ (unsigned char)data[i]) * 0x100000001b3ULL;
	snprintf(reply->etag, sizeof(reply->etag), "\"%016" PRIx64 "\"", hash);
}

/* The route for path and its argument (decoded; "" for "/"), or NULL. *arg is freed by
 * the caller. */
static const struct route *match(const char *path, char **arg)
{
	*arg = NULL;
	if (strcmp(path, "/") == 0) {
		*arg = strdup("");
		return &routes[0];
	}
	for (size_t i = 1; i < sizeof(routes) / sizeof(routes[0]); i++) {
		size_t n = strlen(routes[i].prefix);
		if (strncmp(path, routes[i].prefix, n) == 0 && path[n] != '\0') {
			*arg = url_segment_decode(path + n);
			return *arg ? &routes[i] : NULL;
		}
	}
	return NULL;
}

static void not_found(struct page_doc *doc)
{
	snprintf(doc->title, sizeof(doc->title), "Not found");
	doc->crumbs[0] = (struct page_crumb){"Carts", "/"};
	doc->crumbs[1] = (struct page_crumb){"Not found", NULL};
	doc->n_crumbs = 2;
	mt_str(&doc->main, "<h1>Not found</h1><p>No such cart, phone or page here. "
	                   "<a href=\"/\">All carts</a>.</p>");
}

static void full_page(struct page_reply *reply, struct page_doc *doc, const char *live_path)
{
	metrics_text_init(&reply->body, doc->main.length + 2048);
	reply->content_type = "text/html; charset=utf-8";
	page_frame_open(&reply->body, doc->title, doc->crumbs, doc->n_crumbs, live_path,
	                reply->etag);
	mt_bytes(&reply->body, doc->main.data, doc->main.length);
	page_frame_close(&reply->body);
}

static void live_json(struct page_reply *reply, struct page_doc *doc)
{
	metrics_text_init(&reply->body, doc->main.length + doc->main.length / 8 + 256);
	reply->content_type = "application/json";
	mt_str(&reply->body, "{\"title\":");
	json_quote(&reply->body, doc->title);
	mt_str(&reply->body, ",\"html\":");
	mt_bytes(&doc->main, "", 1); /* json_string reads a C string */
	doc->main.length--;
	json_quote(&reply->body, doc->main.data);
	mt_str(&reply->body, "}\n");
}

static bool asset(const char *path, struct page_reply *reply)
{
	for (const struct page_asset *a = page_assets; a->path; a++) {
		if (strcmp(a->path, path) != 0)
			continue;
		reply->content_type = a->content_type;
		reply->bytes = a->bytes;
		reply->n_bytes = a->length;
		set_etag(reply, (const char *)a->bytes, a->length);
		return true;
	}
	return false;
}

void pages_canonical_path(const char *path, struct metrics_text *out)
{
	bool live = strncmp(path, LIVE_PREFIX "/", strlen(LIVE_PREFIX) + 1) == 0;
	const char *page_path = live ? path + strlen(LIVE_PREFIX) : path;
	char *arg;
	const struct route *route = match(page_path, &arg);

	if (route == NULL || route == &routes[0]) {
		mt_str(out, path);
	} else {
		if (live)
			mt_str(out, LIVE_PREFIX);
		mt_str(out, route->prefix);
		url_segment(out, arg);
	}
	mt_bytes(out, "", 1);
	free(arg);
}

void pages_render(struct fleet *fleet, const struct backupd_config *config, int64_t now_unix,
                  const char *path, struct page_reply *reply)
{
	size_t n;
	const struct device_record *const *records = fleet_records(fleet, &n);
	pages_render_records(records, n, config, fleet_service(fleet), now_unix, path, reply);
}

void pages_render_records(const struct device_record *const *records, size_t n,
                          const struct backupd_config *config, const struct verdict *service,
                          int64_t now_unix, const char *path, struct page_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	reply->status = 200;
	if (asset(path, reply))
		return;
	bool live = strncmp(path, LIVE_PREFIX "/", strlen(LIVE_PREFIX) + 1) == 0;
	const char *page_path = live ? path + strlen(LIVE_PREFIX) : path;
	char *arg;
	const struct route *route = match(page_path, &arg);
	struct page_model model = {0};
	struct page_ctx ctx = {records, n, &model, config, service, now_unix};
	struct page_doc doc = {0};
	/* Room for the largest page yet: a 1000-phone cart grew from 16 KiB by doubling, five
	 * copies and fresh pages to touch on every render, on the loop. */
	static size_t main_hint = 16384;
	metrics_text_init(&doc.main, main_hint);
	if (route) /* a path of no page costs no pass over the fleet */
		page_model_build(&model, records, n, &config->port_names);
	if (route == NULL || !route->render(&ctx, arg, &doc)) {
		reply->status = 404;
		metrics_text_free(&doc.main);
		memset(&doc, 0, sizeof(doc));
		metrics_text_init(&doc.main, 1024);
		not_found(&doc);
	}
	if (doc.main.length + 4096 > main_hint && doc.main.length < PAGE_MAIN_HINT_MAX)
		main_hint = doc.main.length + 4096;
	set_etag(reply, doc.main.data, doc.main.length);
	if (live) {
		live_json(reply, &doc);
	} else {
		struct metrics_text live_path; /* a page not found has nothing to follow */
		metrics_text_init(&live_path, strlen(page_path) + 8);
		if (reply->status == 200) {
			mt_str(&live_path, LIVE_PREFIX);
			mt_str(&live_path, page_path);
		}
		mt_bytes(&live_path, "", 1);
		full_page(reply, &doc, live_path.data);
		metrics_text_free(&live_path);
	}
	free(arg);
	metrics_text_free(&doc.main);
	page_model_free(&model);
}

void page_reply_free(struct page_reply *reply)
{
	if (reply->body.data)
		metrics_text_free(&reply->body);
}
