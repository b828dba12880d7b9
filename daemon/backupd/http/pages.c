/* SPDX-License-Identifier: ISC */
/* pages: the evhttp side: method check, the headers every page carries, conditional GET. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "clock.h"
#include "pages.h"

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

static void send_reply(struct evhttp_request *req, struct page_reply *reply)
{
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	evhttp_add_header(headers, "Content-Type", reply->content_type);
	if (reply->etag[0])
		evhttp_add_header(headers, "ETag", reply->etag);
	if (reply->status == 200 && not_modified(req, reply)) {
		evhttp_send_reply(req, HTTP_NOTMODIFIED, "Not Modified", NULL);
		return;
	}
	/* HEAD: the headers alone; evhttp would put any body it is given on the wire. */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		evhttp_send_reply(req, reply->status, reply->status == 200 ? "OK" : "Not Found",
		                  NULL);
		return;
	}
	struct evbuffer *buffer = evbuffer_new();
	if (reply->bytes) {
		evbuffer_add_reference(buffer, reply->bytes, reply->n_bytes, NULL, NULL);
	} else {
		size_t length;
		char *data = metrics_text_take(&reply->body, &length);
		/* By reference: a large cart page is not copied again. */
		evbuffer_add_reference(buffer, data, length, body_sent, NULL);
	}
	evhttp_send_reply(req, reply->status, reply->status == 200 ? "OK" : "Not Found", buffer);
	evbuffer_free(buffer);
}

void pages_handle(void *fleet, struct evhttp_request *req)
{
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq *headers = evhttp_request_get_output_headers(req);
	struct page_reply reply;

	security_headers(headers);
	if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
		struct evbuffer *text = evbuffer_new();
		evbuffer_add_printf(text, "Only GET and HEAD.\n");
		evhttp_add_header(headers, "Allow", "GET, HEAD");
		evhttp_add_header(headers, "Content-Type", "text/plain; charset=utf-8");
		evhttp_send_reply(req, HTTP_BADMETHOD, "Method Not Allowed", text);
		evbuffer_free(text);
		return;
	}
	pages_render(fleet, clock_wall_unix(), path ? path : "/", &reply);
	send_reply(req, &reply);
	page_reply_free(&reply);
}
