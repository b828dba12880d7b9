/* SPDX-License-Identifier: ISC */
/* page_frame: head, banner and footer of every page. */
#include "page_escape.h"
#include "page_frame.h"

#define STRINGIFY2(x) #x
#define STRINGIFY(x)  STRINGIFY2(x)

static void crumbs_nav(struct metrics_text *out, const struct page_crumb *crumbs, size_t n)
{
	mt_str(out, "<nav aria-label=\"Breadcrumb\"><ol>");
	for (size_t i = 0; i < n; i++) {
		if (crumbs[i].href) {
			mt_str(out, "<li><a href=\"");
			html_attr(out, crumbs[i].href);
			mt_str(out, "\">");
			html_text(out, crumbs[i].text);
			mt_str(out, "</a></li>");
		} else {
			mt_str(out, "<li><a aria-current=\"page\">");
			html_text(out, crumbs[i].text);
			mt_str(out, "</a></li>");
		}
	}
	mt_str(out, "</ol></nav>");
}

void page_frame_open(struct metrics_text *out, const char *title, const struct page_crumb *crumbs,
                     size_t n_crumbs, const char *live, const char *etag)
{
	mt_str(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<meta name=\"color-scheme\" content=\"light dark\">"
	            "<noscript><meta http-equiv=\"refresh\" content=\"" STRINGIFY(
	                PAGE_NOSCRIPT_REFRESH_S) "\"></noscript>"
	                                         "<title>");
	html_text(out, title);
	mt_str(out, " \xE2\x80\x94 backupd</title>"
	            "<link rel=\"stylesheet\" href=\"/assets/cart.css\">"
	            "<script src=\"/assets/cart.js\" defer></script></head>\n<body data-live=\"");
	html_attr(out, live);
	mt_str(out, "\" data-etag=\"");
	html_attr(out, etag);
	mt_str(out, "\"><a class=\"skip\" href=\"#main\">Skip to content</a>"
	            "<header><a class=\"site\" href=\"/\">backupd</a>");
	crumbs_nav(out, crumbs, n_crumbs);
	mt_str(out, "</header>\n<main id=\"main\" tabindex=\"-1\">");
}

void page_frame_close(struct metrics_text *out)
{
	mt_str(out, "</main>\n<footer><p id=\"live-status\" class=\"live\" role=\"status\">"
	            "This page reloads every " STRINGIFY(
	                PAGE_NOSCRIPT_REFRESH_S) " seconds.</p>"
	                                         "<p>Read-only. Phone names and states "
	                                         "come from backupd's last check of each phone; "
	                                         "nothing here asks a phone anything.</p>"
	                                         "</footer></body></html>\n");
}
