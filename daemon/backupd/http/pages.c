/* SPDX-License-Identifier: ISC */
/* pages: the evhttp side: method check, the headers every page carries, conditional GET, the
 * render cache (page_cache.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "clock.h"
#include "fleet.h"
#include "metrics_scrape.h"
#include "page_cache.h"
#include "pages.h"
#include "xmalloc.h"

/* No inline script or style, nothing from elsewhere, no framing, no <base>, no forms. */
#define PAGE_CSP "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

static void security_headers(struct evkeyvalq *headers)
{
	evhttp_add_header(headers, "Content-Security-Policy", PAGE_CSP);
	evhttp_add_header(headers, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(headers, "Referrer-Policy", "no-referrer");
	evhttp_add_header(headers, "X-Frame-Options", "DENY");
	evhttp_add_header(headers, "Cross-Origin-Resource-Policy", "same-origin");
	evhttp_add_header(headers, "Cache-Control", "no-cache");
}

static void body_sent(const void *data, size_t length, void *arg)
{
	(void)length, (void)arg;
	free((void *)data);
}

/* If-None-Match holds reply's tag (a list, or "*"): the client has it. */
static bool not_modified(struct evhttp_request *req, const struct page_reply *reply)
{
	const char *want =
	    evhttp_find_header(evhttp_request_get_input_headers(req), "If-None-Match");
	return want && reply->etag[0] && (strstr(want, reply->etag) || strcmp(want, "*") == 0);
}

/* The headers every answer carries, and If-None-Match answered. False: 304 sent. */
static bool reply_head(struct evhttp_request *req, const struct page_reply *reply)
{
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	evhttp_add_header(headers, "Content-Type", reply->content_type);
	if (reply->etag[0])
		evhttp_add_header(headers, "ETag", reply->etag);
	if (reply->status == 200 && not_modified(req, reply)) {
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return false;
	}
	return true;
}

/* HEAD: the headers alone; evhttp would put any body it is given on the wire. */
static void send_body(struct evhttp_request *req, int status, struct evbuffer *body)
{
	const char *reason = status == 200 ? "OK" : "Not Found";
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD)
		evhttp_send_reply(req, status, reason, NULL);
	else
		evhttp_send_reply(req, status, reason, body);
}

/* A reply of its own: an asset, or a page not kept (not found). */
static void send_reply(struct evhttp_request *req, struct page_reply *reply)
{
	if (!reply_head(req, reply))
		return;
	struct evbuffer *buffer = evbuffer_new();
	if (reply->bytes) {
		evbuffer_add_reference(buffer, reply->bytes, reply->n_bytes, NULL, NULL);
	} else {
		size_t length;
		char *data = metrics_text_take(&reply->body, &length);
		evbuffer_add_reference(buffer, data, length, body_sent, NULL);
	}
	send_body(req, reply->status, buffer);
	evbuffer_free(buffer);
}

/* A reply from the cache: its body by reference, shared with every other reader. */
static void send_shared(struct evhttp_request *req, const struct page_shared *shared)
{
	struct page_reply head = {.status = shared->status, .content_type = shared->content_type};
	memcpy(head.etag, shared->etag, sizeof(head.etag));
	if (!reply_head(req, &head))
		return;
	struct evbuffer *buffer = evbuffer_new();
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD)
		page_shared_add_body(buffer, shared);
	send_body(req, shared->status, buffer);
	evbuffer_free(buffer);
}

/* Plain text answers, as /metrics gives them (metrics_reply_text). */
static void send_busy(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
	metrics_reply_text(req, HTTP_SERVUNAVAIL, "Service Unavailable", "Too busy; retry.\n");
}

static void send_bad_method(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
	metrics_reply_text(req, HTTP_BADMETHOD, "Method Not Allowed", "Only GET and HEAD.\n");
}

struct pages {
	struct fleet *fleet;
	const struct backupd_config *config; /* the daemon's, reloaded in place */
	struct page_cache *cache;
};

struct pages *pages_new(struct fleet *fleet, const struct backupd_config *config)
{
	struct pages *pages = xcalloc(1, sizeof(*pages));
	pages->fleet = fleet;
	pages->config = config;
	pages->cache = page_cache_new();
	return pages;
}

void pages_free(struct pages *pages)
{
	if (pages == NULL)
		return;
	page_cache_free(pages->cache);
	free(pages);
}

/* The shared reply for path, rendered into the cache if it holds none fresh; NULL when req has
 * been answered already (busy, or a reply that is not cached: 404s, assets). */
static const struct page_shared *cached_or_rendered(struct pages *pages, const char *path,
                                                    uint64_t generation, int64_t now_ms,
                                                    struct evhttp_request *req)
{
	const struct page_shared *shared = page_cache_find(pages->cache, path, generation, now_ms);
	struct page_reply reply;

	if (shared)
		return shared;
	if (page_cache_full(pages->cache))
		page_cache_drop_stale(pages->cache, generation, now_ms);
	if (page_cache_full(pages->cache)) {
		send_busy(req);
		return NULL;
	}
	pages_render(pages->fleet, pages->config, clock_wall_unix(), path, &reply);
	if (reply.status != 200 || reply.bytes) {
		send_reply(req, &reply);
		page_reply_free(&reply);
		return NULL;
	}
	shared = page_cache_put(pages->cache, path, generation, now_ms, &reply);
	page_reply_free(&reply);
	return shared;
}

/* Assets and pages not found are answered on their own; a page comes from the cache, or is
 * rendered into it unless rendered bodies not yet sent fill PAGE_BYTES_MAX. */
void pages_handle(void *arg, struct evhttp_request *req)
{
	struct pages *pages = arg;
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	uint64_t generation = fleet_generation(pages->fleet);
	int64_t now_ms = clock_monotonic_ms();

	security_headers(evhttp_request_get_output_headers(req));
	if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
		send_bad_method(req);
		return;
	}
	struct metrics_text key;
	metrics_text_init(&key, 256);
	pages_canonical_path(path ? path : "/", &key);
	const struct page_shared *shared =
	    cached_or_rendered(pages, key.data, generation, now_ms, req);
	metrics_text_free(&key);
	if (shared)
		send_shared(req, shared);
}
