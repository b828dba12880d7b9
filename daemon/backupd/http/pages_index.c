/* SPDX-License-Identifier: ISC */
/* "/": every cart on this host with its counts, Apple's service, and the phones no cart
 * holds. */
#include <stdio.h>

#include "page_escape.h"
#include "page_parts.h"
#include "pages_render.h"

static void cart_item(struct metrics_text *out, const struct page_cart *cart)
{
	mt_str(out, "<li><h2><a href=\"");
	page_cart_href(out, cart->name);
	mt_str(out, "\">");
	html_text(out, cart->name);
	mt_str(out, "</a></h2><p>");
	mt_int(out, (int64_t)cart->n_slots);
	mt_str(out, cart->n_slots == 1 ? " slot</p>" : " slots</p>");
	page_counts(out, cart);
	mt_str(out, "</li>");
}

static void no_carts(struct metrics_text *out)
{
	mt_str(out, "<p>No cart is set up on this host. Name the USB hubs of a cart with "
	            "<code>[Hub PORTPATH]</code> sections and <code>Cart=</code> in backupd.conf "
	            "(<code>backupctl slots</code> lists the ports phones were seen in).</p>");
}

bool page_index(const struct page_ctx *ctx, const char *arg, struct page_doc *doc)
{
	struct metrics_text *out = &doc->main;
	(void)arg;
	snprintf(doc->title, sizeof(doc->title), "Carts");
	doc->crumbs[0] = (struct page_crumb){"Carts", NULL};
	doc->n_crumbs = 1;
	mt_str(out, "<h1>Carts on this host</h1>");
	page_service(out, ctx->service);
	if (ctx->model->n_carts == 0)
		no_carts(out);
	else {
		mt_str(out, "<ul class=\"carts\" aria-label=\"Carts\">");
		for (size_t i = 0; i < ctx->model->n_carts; i++)
			cart_item(out, &ctx->model->carts[i]);
		mt_str(out, "</ul>");
	}
	if (ctx->model->n_loose > 0) {
		mt_str(out,
		       "<h2 id=\"loose-h\">Attached phones on no cart</h2>"
		       "<p>Their USB port is not known, or no <code>[Hub]</code> section names "
		       "a cart for it.</p><ul class=\"phones\" aria-labelledby=\"loose-h\">");
		for (size_t i = 0; i < ctx->model->n_loose; i++)
			page_phone_item(out, ctx->model->loose[i]);
		mt_str(out, "</ul>");
	}
	return true;
}
