/* SPDX-License-Identifier: ISC */
/* The families of the precondition table (metrics_precond.h). */
#include "metrics_precond.h"
#include "precondition.h"

void metrics_render_precondition_info(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (int p = 0; p < PRECOND_COUNT; p++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)p);
		open_series(r, family->name, "precondition", entry->name);
		add_label(r, "blocker", entry->blocker);
		add_label(r, "fix", entry->fix);
		close_int(r, 1);
	}
}

/* One gauge family: key k of precondition p as in effect for each phone. */
static void render_limit(struct render *r, int p, int k, const struct precondition_key *key)
{
	const struct metric_family family = {key->metric, "gauge", key->metric_help, NULL, NULL, 0};

	metrics_header(r, &family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		struct rule_limits limits =
		    config_limits_for(r->view->config, r->view->records[i]->udid);
		device_series(r, i);
		close_int(r, limits.value[p][k].number);
	}
}

void metrics_render_precondition_limits(struct render *r, const struct metric_family *family)
{
	(void)family;
	for (int p = 0; p < PRECOND_COUNT; p++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)p);
		for (int k = 0; k < PRECOND_KEYS_MAX; k++) {
			const struct precondition_key *key = &entry->keys[k];
			if (key->metric != NULL &&
			    (key->kind == LIMIT_SIZE || key->kind == LIMIT_AGE))
				render_limit(r, p, k, key);
		}
	}
}
