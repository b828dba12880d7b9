/* SPDX-License-Identifier: ISC */
/* "/cart/NAME": the cart as it stands, slot by slot, rows of [HTTP] Columns= tiles. */
#include <stdio.h>

#include "page_escape.h"
#include "page_parts.h"
#include "pages_render.h"

#define COLUMNS_CSS_MAX 16 /* cart.css has .cols-1 ... .cols-16 */

static void slots_list(struct metrics_text *out, const struct page_ctx *ctx,
                       const struct page_cart *cart)
{
	int columns = ctx->config->http_columns;
	mt_str(out, "<h2 id=\"slots-h\">Slots</h2><ol class=\"slots");
	if (columns > 0 && columns <= COLUMNS_CSS_MAX) {
		mt_str(out, " cols-");
		mt_int(out, columns);
	}
	mt_str(out, "\" aria-labelledby=\"slots-h\">");
	for (size_t i = 0; i < cart->n_slots; i++)
		page_tile(out, &ctx->model->rows[cart->first + i]);
	mt_str(out, "</ol>");
}

static void loose_list(struct metrics_text *out, const struct page_model *model)
{
	bool any = false;
	for (size_t i = 0; i < model->n_loose; i++) {
		if (model->loose[i]->slot.port_path[0])
			continue; /* in a port of no cart: on the index page only */
		if (!any)
			mt_str(out,
			       "<h2 id=\"unknown-h\">Attached phones whose slot is not known</h2>"
			       "<ul class=\"phones\" aria-labelledby=\"unknown-h\">");
		any = true;
		page_phone_item(out, model->loose[i]);
	}
	if (any)
		mt_str(out, "</ul>");
}

bool page_cart(const struct page_ctx *ctx, const char *name, struct page_doc *doc)
{
	const struct page_cart *cart = page_model_cart(ctx->model, name);
	struct metrics_text *out = &doc->main;
	if (cart == NULL)
		return false;
	snprintf(doc->title, sizeof(doc->title), "%s", cart->name);
	doc->crumbs[0] = (struct page_crumb){"Carts", "/"};
	doc->crumbs[1] = (struct page_crumb){doc->title, NULL};
	doc->n_crumbs = 2;
	mt_str(out, "<h1>");
	html_text(out, cart->name);
	mt_str(out, "</h1><p class=\"print-note\">The phones that are not ready, and what to do "
	            "at each.</p>");
	page_counts(out, cart);
	page_service(out, ctx->service);
	slots_list(out, ctx, cart);
	loose_list(out, ctx->model);
	return true;
}
