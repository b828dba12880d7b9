/* SPDX-License-Identifier: ISC */
/* The iOS catalog's families (metrics_ios.h). A phone the catalog did not judge (no catalog,
 * no version read) has no series in them. */
#include "ios_update.h"
#include "metrics_ios.h"

static bool catalog_on(const struct metrics_view *view)
{
	return view->config->ios_catalog_url[0] != '\0' && view->ios_catalog != NULL;
}

void metrics_render_ios_catalog_up(struct render *r, const struct metric_family *family)
{
	if (!catalog_on(r->view))
		return;
	metrics_header(r, family);
	bare_int(r, family->name,
	         !r->view->ios_catalog->unreachable && r->view->ios_catalog->have_good);
}

void metrics_render_ios_catalog_last_success(struct render *r, const struct metric_family *family)
{
	if (!catalog_on(r->view) || !r->view->ios_catalog->have_good)
		return;
	metrics_header(r, family);
	bare_int(r, family->name, r->view->ios_catalog->last_good_unix);
}

void metrics_render_ios_catalog_releases(struct render *r, const struct metric_family *family)
{
	if (!catalog_on(r->view))
		return;
	metrics_header(r, family);
	bare_uint(r, family->name, r->view->ios_releases);
}

void metrics_render_ios_exploited_grace(struct render *r, const struct metric_family *family)
{
	if (!catalog_on(r->view))
		return;
	metrics_header(r, family);
	bare_int(r, family->name, r->view->config->ios_exploited_grace_s);
}

/* One series per judged phone: its labels change when the phone updates or the catalog
 * does, so the series count stays the phone count. */
void metrics_render_device_ios_update(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		if (rec->ios.state == IOS_UPDATE_NONE)
			continue;
		device_series(r, i);
		add_label(r, "state", ios_update_state_word(rec->ios.state));
		add_label(r, "ios_version", rec->facts.product_version);
		add_label(r, "target_version", rec->ios.target);
		add_label(r, "latest_version", rec->ios.latest);
		close_int(r, 1);
	}
}

bool metrics_value_ios_exploited(const struct metrics_view *view, const struct device_record *rec,
                                 int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->ios.n_exploited;
	return rec->ios.state != IOS_UPDATE_NONE;
}

bool metrics_value_ios_behind_since(const struct metrics_view *view,
                                    const struct device_record *rec, int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->ios.behind_since_unix;
	return rec->ios.state == IOS_UPDATE_AVAILABLE && rec->ios.behind_since_unix > 0;
}

bool metrics_value_ios_exploited_since(const struct metrics_view *view,
                                       const struct device_record *rec, int64_t *value,
                                       int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->ios.exploited_since_unix;
	return rec->ios.state == IOS_UPDATE_AVAILABLE && rec->ios.exploited_since_unix > 0;
}
