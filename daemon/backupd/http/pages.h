/* SPDX-License-Identifier: ISC */
/* pages: the cart pages on the HTTP listener of /metrics, for the person at the cart.
 *
 *   /                 every cart with its counts, Apple's iCloud Backup status, phones on no cart
 *   /cart/NAME        the cart slot by slot ([Hub]/[Slot] names; [HTTP] Columns=)
 *   /phone/UDID       one phone: every precondition, reason and fix; history; actions
 *   /live/PAGE        PAGE's <main> and title as JSON, with an ETag (what cart.js polls)
 *   /assets/cart.css, /assets/cart.js   compiled in (page_assets.h)
 *
 * GET and HEAD only. Every page is rendered on the loop from the fleet's records (no phone
 * is asked anything, no file read) and sent with a strict Content-Security-Policy, nosniff,
 * no referrer and no cookie. Connection caps and deadlines are the listener's. */
#ifndef BACKUPD_PAGES_H
#define BACKUPD_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "metrics_text.h"

struct backupd_config;
struct evhttp_request;
struct fleet;

#include "page_reply.h"

/* The reply for path (as the request has it: percent-encoded), from the fleet's records. */
void pages_render(struct fleet *fleet, const struct backupd_config *config, int64_t now_unix,
                  const char *path, struct page_reply *reply);
/* The same from records, config and Apple's service verdict (what the benchmark builds). */
struct device_record;
struct verdict;
void pages_render_records(const struct device_record *const *records, size_t n,
                          const struct backupd_config *config, const struct verdict *service,
                          int64_t now_unix, const char *path, struct page_reply *reply);

/* The one spelling of path's page (percent-encoding as url_segment writes it), into out with
 * its NUL: the render cache's key, so /cart/%42ig is the render of /cart/Big and varying the
 * encoding of a page cannot force a render per request. A path of no page is copied as is. */
void pages_canonical_path(const char *path, struct metrics_text *out);

/* What the listener's handler keeps: the fleet it shows and its renders (page_cache.h). */
struct pages;
struct pages *pages_new(struct fleet *fleet, const struct backupd_config *config);
/* After the listener: bodies still being sent are freed as they are sent. */
void pages_free(struct pages *pages);
/* The listener's handler for every path but /metrics (arg: the pages). */
void pages_handle(void *pages, struct evhttp_request *req);

#endif
