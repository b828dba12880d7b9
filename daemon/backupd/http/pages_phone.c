/* SPDX-License-Identifier: ISC */
/* "/phone/UDID": one phone: every precondition with its reason and fix, last backup, where
 * it has been, and what backupd did to it by itself. */
#include <stdio.h>
#include <string.h>

#include "action_names.h"
#include "humanize.h"
#include "page_escape.h"
#include "page_parts.h"
#include "pages_render.h"
#include "slot_history.h"
#include "slot_names.h"
#include "precondition.h"

#define SECONDS_A_DAY 86400

static const struct device_record *find(const struct page_ctx *ctx, const char *udid)
{
	for (size_t i = 0; i < ctx->n_records; i++)
		if (strcmp(ctx->records[i]->udid, udid) == 0)
			return ctx->records[i];
	return NULL;
}

static void fact(struct metrics_text *out, const char *what, const char *value)
{
	mt_str(out, "<dt>");
	mt_str(out, what);
	mt_str(out, "</dt><dd>");
	html_text(out, value && value[0] ? value : "not known");
	mt_str(out, "</dd>");
}

static const char *port_text(const struct page_ctx *ctx, const char *port, char *buf, size_t size)
{
	struct slot_label label;
	slot_names_resolve(&ctx->config->port_names, port, &label);
	return slot_label_text(&label, port, buf, size);
}

static void facts_list(struct metrics_text *out, const struct page_ctx *ctx,
                       const struct device_record *rec)
{
	char buf[128], when[48];
	mt_str(out, "<h2>About this phone</h2><dl class=\"facts\">");
	fact(out, "UDID", rec->udid);
	fact(out, "Slot now",
	     rec->attached
	         ? (rec->slot.port_path[0] ? port_text(ctx, rec->slot.port_path, buf, sizeof(buf))
	                                   : "attached, slot not known")
	         : "not attached");
	snprintf(buf, sizeof(buf), "%s%s%s", rec->facts.product_type,
	         rec->facts.product_version[0] ? ", iOS " : "", rec->facts.product_version);
	fact(out, "Model", buf);
	if (rec->facts.battery_percent >= 0)
		snprintf(buf, sizeof(buf), "%d %%", rec->facts.battery_percent);
	else
		buf[0] = '\0';
	fact(out, "Battery", buf);
	fact(out, "Last iCloud backup",
	     rec->facts.has_last_backup
	         ? humanize_utc(rec->facts.last_backup_unix, when, sizeof(when))
	         : (rec->facts.status == PROBE_OK ? "never, the phone says" : ""));
	fact(out, "Last checked",
	     rec->facts.probed_at_unix ? humanize_utc(rec->facts.probed_at_unix, when, sizeof(when))
	                               : "not yet");
	mt_str(out, "</dl>");
}

static enum page_state verdict_state(enum verdict_state state)
{
	return state == VERDICT_OK        ? PAGE_READY
	       : state == VERDICT_FAILING ? PAGE_NOT_READY
	                                  : PAGE_UNKNOWN;
}

static void preconditions_table(struct metrics_text *out, const struct device_record *rec)
{
	mt_str(out, "<h2 id=\"pre-h\">What iCloud Backup needs</h2><div class=\"wide\"><table "
	            "aria-labelledby=\"pre-h\"><thead><tr><th scope=\"col\">Check</th>"
	            "<th scope=\"col\">State</th><th scope=\"col\">Why</th>"
	            "<th scope=\"col\">What to do</th></tr></thead><tbody>");
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *info = precondition_info((enum precondition_id)i);
		enum page_state state = verdict_state(rec->verdicts[i].state);
		mt_str(out, "<tr class=\"pre ");
		mt_str(out, page_state_look(state)->css);
		mt_str(out, "\" data-precondition=\"");
		mt_str(out, info->name);
		mt_str(out, "\"><th scope=\"row\">");
		html_text(out, info->title);
		mt_str(out, "</th><td class=\"state-cell\">");
		page_state_mark(out, state);
		mt_str(out, "</td><td>");
		html_text(out, rec->verdicts[i].reason);
		mt_str(out, "</td><td>");
		if (rec->verdicts[i].state != VERDICT_OK)
			html_text(out, info->fix);
		mt_str(out, "</td></tr>");
	}
	mt_str(out, "</tbody></table></div>");
}

/* The iOS catalog's word: the update to install, its date, and the actively exploited CVEs
 * it fixes, one per item (ids from the network: through html_text like every text). */
static void add_cve_item(const char *id, size_t length, void *arg)
{
	char text[IOS_EXPLOITED_TEXT];
	snprintf(text, sizeof(text), "%.*s", (int)length, id);
	mt_str(arg, "<li>");
	html_text(arg, text);
	mt_str(arg, "</li>");
}

static void ios_update_section(struct metrics_text *out, const struct device_record *rec)
{
	const struct ios_update *u = &rec->ios;
	char line[256], date[32];
	if (u->state == IOS_UPDATE_NONE)
		return;
	if (u->state == IOS_UPDATE_AVAILABLE) /* the fix: the precondition table's words */
		snprintf(line, sizeof(line), "iOS %s, released %s. %s", u->target,
		         humanize_date(u->target_released_unix, date, sizeof(date)),
		         precondition_info(PRECOND_IOS_CURRENT)->fix);
	else if (u->state == IOS_UPDATE_CURRENT)
		snprintf(line, sizeof(line),
		         "None: iOS %s is current (the newest for this model is %s).",
		         rec->facts.product_version, u->latest);
	else if (u->state == IOS_UPDATE_ENDED)
		snprintf(line, sizeof(line), "None: this model no longer receives iOS updates.");
	else
		snprintf(line, sizeof(line), "Not judged: this model is not in the iOS catalog.");
	mt_str(out, "<h2 id=\"ios-h\">iOS update</h2><p class=\"ios-update\">");
	html_text(out, line);
	mt_str(out, "</p>");
	if (u->n_exploited == 0)
		return;
	snprintf(line, sizeof(line),
	         "It fixes %d actively exploited vulnerabilit%s:", u->n_exploited,
	         u->n_exploited == 1 ? "y" : "ies");
	mt_str(out, "<p id=\"cve-h\">");
	html_text(out, line);
	mt_str(out, "</p><ul class=\"cves\" aria-labelledby=\"cve-h\">");
	ios_update_each_cve(u, add_cve_item, out);
	mt_str(out, "</ul>");
}

static void history_table(struct metrics_text *out, const struct page_ctx *ctx,
                          const struct device_record *rec)
{
	char buf[128], when[48];
	mt_str(out, "<h2 id=\"hist-h\">Where it has been</h2>");
	if (rec->slot.n_visits == 0) {
		mt_str(out, "<p>No USB port known yet.</p>");
		return;
	}
	mt_str(out, "<div class=\"wide\"><table aria-labelledby=\"hist-h\"><thead><tr>"
	            "<th scope=\"col\">Slot</th><th scope=\"col\">From</th>"
	            "<th scope=\"col\">Until</th></tr></thead><tbody>");
	for (int v = 0; v < rec->slot.n_visits; v++) {
		const struct slot_visit *visit = &rec->slot.visits[v];
		mt_str(out, "<tr><td>");
		html_text(out, port_text(ctx, visit->port_path, buf, sizeof(buf)));
		mt_str(out, "</td><td>");
		html_text(out, humanize_utc(visit->since_unix, when, sizeof(when)));
		mt_str(out, "</td><td>");
		html_text(out, visit->until_unix
		                   ? humanize_utc(visit->until_unix, when, sizeof(when))
		                   : "still there");
		mt_str(out, "</td></tr>");
	}
	mt_str(out, "</tbody></table></div>");
}

static void actions_list(struct metrics_text *out, const struct device_record *rec)
{
	static const char *const done[ACTION_KIND_COUNT] = {
	    [ACTION_KIND_ENABLE_BACKUP] = "switched iCloud Backup on (AutoEnableBackup=)",
	    [ACTION_KIND_RESTART] = "restarted the phone (AutoRestart=)",
	};
	char day[48];
	bool any = false;
	mt_str(out,
	       "<h2 id=\"act-h\">What backupd did by itself</h2><ul aria-labelledby=\"act-h\">");
	for (int k = 0; k < ACTION_KIND_COUNT; k++) {
		if (rec->automatic.day[k] <= 0)
			continue;
		any = true;
		humanize_utc(rec->automatic.day[k] * SECONDS_A_DAY, day, sizeof(day));
		day[10] = '\0'; /* the date: the day is all backupd keeps */
		mt_str(out, "<li>Last ");
		mt_str(out, done[k]);
		mt_str(out, " on ");
		html_text(out, day);
		mt_str(out, "</li>");
	}
	if (rec->restarting) {
		any = true;
		mt_str(out, "<li>A restart is under way; backupd waits for the phone to come "
		            "back.</li>");
	}
	if (!any)
		mt_str(out, "<li>Nothing so far.</li>");
	mt_str(out, "</ul><p>Actions asked for with <code>backupctl</code> are in the journal "
	            "(<code>journalctl -u backupd</code>).</p>");
}

static void crumbs(const struct page_ctx *ctx, const struct device_record *rec,
                   struct page_doc *doc)
{
	const struct slot_visit *last = slot_history_last_visit(&rec->slot);
	struct slot_label label;
	slot_names_resolve(&ctx->config->port_names, last ? last->port_path : "", &label);
	doc->crumbs[0] = (struct page_crumb){"Carts", "/"};
	doc->n_crumbs = 1;
	if (label.cart[0] && page_model_cart(ctx->model, label.cart)) {
		struct metrics_text href;
		metrics_text_init(&href, 64);
		page_cart_href(&href, label.cart);
		snprintf(doc->crumb_href, sizeof(doc->crumb_href), "%.*s", (int)href.length,
		         href.data);
		metrics_text_free(&href);
		snprintf(doc->crumb_text, sizeof(doc->crumb_text), "%s", label.cart);
		doc->crumbs[doc->n_crumbs++] =
		    (struct page_crumb){doc->crumb_text, doc->crumb_href};
	}
	doc->crumbs[doc->n_crumbs++] = (struct page_crumb){doc->title, NULL};
}

bool page_phone(const struct page_ctx *ctx, const char *udid, struct page_doc *doc)
{
	const struct device_record *rec = find(ctx, udid);
	struct metrics_text *out = &doc->main;
	struct page_phone phone;
	if (rec == NULL)
		return false;
	snprintf(doc->title, sizeof(doc->title), "%s", page_phone_name(rec));
	crumbs(ctx, rec, doc);
	page_phone_of(rec, &phone);
	mt_str(out, "<h1>");
	html_text(out, page_phone_name(rec));
	mt_str(out, "</h1><p class=\"pre ");
	mt_str(out, page_state_look(phone.state)->css);
	mt_str(out, "\" data-state=\"");
	mt_str(out, page_state_look(phone.state)->css + 3);
	mt_str(out, "\">");
	page_state_mark(out, phone.state);
	if (!rec->attached)
		mt_str(out, ": not attached now");
	if (phone.fix) {
		mt_str(out, ". First: ");
		html_text(out, phone.fix);
	}
	mt_str(out, "</p>");
	preconditions_table(out, rec);
	facts_list(out, ctx, rec);
	ios_update_section(out, rec);
	history_table(out, ctx, rec);
	actions_list(out, rec);
	return true;
}
