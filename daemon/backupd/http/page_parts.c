/* SPDX-License-Identifier: ISC */
/* page_parts: tiles, lists and counts. */
#include <stdio.h>

#include "humanize.h"
#include "page_escape.h"
#include "page_parts.h"
#include "precondition.h"

void page_cart_href(struct metrics_text *out, const char *cart)
{
	mt_str(out, "/cart/");
	url_segment(out, cart);
}

void page_phone_href(struct metrics_text *out, const char *udid)
{
	mt_str(out, "/phone/");
	url_segment(out, udid);
}

const char *page_phone_name(const struct device_record *rec)
{
	return rec->facts.name[0] ? rec->facts.name : rec->udid;
}

void page_state_mark(struct metrics_text *out, enum page_state state)
{
	const struct page_state_look *look = page_state_look(state);
	mt_str(out, "<span class=\"badge\" aria-hidden=\"true\"><span>");
	mt_str(out, look->glyph);
	mt_str(out, "</span></span> <span class=\"state\">");
	mt_str(out, look->word);
	mt_str(out, "</span>");
}

static void tile_open(struct metrics_text *out, const struct slot_port_row *row,
                      enum page_state state, const struct device_record *rec)
{
	mt_str(out, "<li class=\"tile ");
	mt_str(out, page_state_look(state)->css);
	mt_str(out, "\" data-slot=\"");
	html_attr(out, row->label.slot[0] ? row->label.slot : row->port_path);
	if (rec) {
		mt_str(out, "\" data-udid=\"");
		html_attr(out, rec->udid);
	}
	mt_str(out, "\" data-state=\"");
	mt_str(out, page_state_look(state)->css + 3);
	mt_str(out, "\">");
}

static void tile_top(struct metrics_text *out, const struct slot_port_row *row,
                     enum page_state state)
{
	mt_str(out, "<span class=\"top\"><span class=\"slot\"><span class=\"vh\">Slot </span>");
	html_text(out, row->label.slot[0] ? row->label.slot : row->port_path);
	mt_str(out, "</span> ");
	page_state_mark(out, state);
	mt_str(out, "</span>");
}

static void fix_lines(struct metrics_text *out, const struct page_phone *phone)
{
	if (phone->fix) {
		mt_str(out, "<span class=\"fix\">");
		html_text(out, phone->fix);
		mt_str(out, "</span>");
	}
	if (phone->reason && phone->reason[0]) {
		mt_str(out, "<span class=\"why\">");
		html_text(out, phone->reason);
		mt_str(out, "</span>");
	}
}

static void empty_tile(struct metrics_text *out, const struct slot_port_row *row)
{
	char when[48];
	tile_open(out, row, PAGE_EMPTY, NULL);
	mt_str(out, "<div>");
	tile_top(out, row, PAGE_EMPTY);
	if (row->last) {
		mt_str(out, "<span class=\"last\">Last here: <a href=\"");
		page_phone_href(out, row->last->udid);
		mt_str(out, "\">");
		html_text(out, page_phone_name(row->last));
		mt_str(out, "</a>, until ");
		html_text(out, humanize_utc(row->last_until, when, sizeof(when)));
		mt_str(out, row->last->attached ? "" : ". Not attached anywhere now.");
		mt_str(out, "</span>");
	}
	mt_str(out, "</div></li>");
}

void page_tile(struct metrics_text *out, const struct slot_port_row *row)
{
	if (row->now == NULL) {
		empty_tile(out, row);
		return;
	}
	struct page_phone phone;
	page_phone_of(row->now, &phone);
	tile_open(out, row, phone.state, row->now);
	mt_str(out, "<a href=\"");
	page_phone_href(out, row->now->udid);
	mt_str(out, "\">");
	tile_top(out, row, phone.state);
	mt_str(out, "<span class=\"name\">");
	html_text(out, page_phone_name(row->now));
	mt_str(out, "</span>");
	fix_lines(out, &phone);
	mt_str(out, "</a></li>");
}

void page_phone_item(struct metrics_text *out, const struct device_record *rec)
{
	struct page_phone phone;
	page_phone_of(rec, &phone);
	mt_str(out, "<li class=\"tile ");
	mt_str(out, page_state_look(phone.state)->css);
	mt_str(out, "\" data-udid=\"");
	html_attr(out, rec->udid);
	mt_str(out, "\" data-state=\"");
	mt_str(out, page_state_look(phone.state)->css + 3);
	mt_str(out, "\"><a href=\"");
	page_phone_href(out, rec->udid);
	mt_str(out, "\"><span class=\"top\">");
	page_state_mark(out, phone.state);
	mt_str(out, "</span><span class=\"name\">");
	html_text(out, page_phone_name(rec));
	mt_str(out, "</span>");
	if (rec->slot.port_path[0]) {
		mt_str(out, "<span class=\"why\">USB port ");
		html_text(out, rec->slot.port_path);
		mt_str(out, "</span>");
	}
	fix_lines(out, &phone);
	mt_str(out, "</a></li>");
}

static void count(struct metrics_text *out, const char *what, int n)
{
	mt_str(out, "<div><dt>");
	mt_str(out, what);
	mt_str(out, "</dt><dd>");
	mt_int(out, n);
	mt_str(out, "</dd></div>");
}

void page_counts(struct metrics_text *out, const struct page_cart *cart)
{
	mt_str(out, "<dl class=\"counts\">");
	count(out, "Ready", cart->ready);
	count(out, "Not ready", cart->not_ready);
	count(out, "Unknown", cart->unknown);
	count(out, "Empty slots", cart->empty);
	count(out, "Missing phones", cart->missing);
	mt_str(out, "</dl>");
}

void page_service(struct metrics_text *out, const struct verdict *service)
{
	static const struct {
		const char *css, *word;
	} says[] = {
	    [VERDICT_UNKNOWN] = {"st-unknown", "not known"},
	    [VERDICT_OK] = {"st-ready", "working"},
	    [VERDICT_FAILING] = {"st-not-ready", "Apple reports a problem"},
	};
	unsigned state = (unsigned)service->state <= VERDICT_FAILING ? service->state : 0;
	mt_str(out, "<section class=\"service ");
	mt_str(out, says[state].css);
	mt_str(out,
	       "\" aria-labelledby=\"service-h\"><h2 id=\"service-h\">Apple's iCloud Backup: ");
	mt_str(out, says[state].word);
	mt_str(out, "</h2>");
	if (service->reason[0]) {
		mt_str(out, "<p>");
		html_text(out, service->reason);
		mt_str(out, "</p>");
	}
	if (service->state == VERDICT_FAILING) {
		mt_str(out, "<p>");
		html_text(out, precondition_info(PRECOND_ICLOUD_SERVICE)->fix);
		mt_str(out, "</p>");
	}
	mt_str(out, "</section>");
}
