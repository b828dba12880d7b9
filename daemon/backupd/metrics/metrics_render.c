/* SPDX-License-Identifier: ISC */
/* The /metrics body. One table row per metric family: its name, type and help text live only
 * here (backupd(8), METRICS lists the names and points at the HELP lines). Per-device series
 * carry the udid label alone; name, model and versions sit on backupd_device_info only, so renaming
 * a phone changes one series, not forty. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics_process.h"
#include "metrics_ios.h"
#include "metrics_precond.h"
#include "metrics_values.h"
#include "metrics_render.h"
#include "metrics_series.h"
#include "models.h"
#include "pair_state.h"
#include "slot_names.h"
#include "version.h"
#include "xmalloc.h"
#include "precondition.h"

#define BYTES_PER_DEVICE_GUESS 4096 /* a 1000-device scrape is about 4 MB */

/* The three kinds of row. */
#define RENDER(fn)       fn, NULL, 0
#define DEVICE_GAUGE(fn) NULL, fn, 0
#define PROCESS(field)   render_process, NULL, offsetof(struct process_stats, field)

static const char *const verdict_states[] = {"ok", "failing", "unknown"};
static const enum verdict_state verdict_state_order[] = {VERDICT_OK, VERDICT_FAILING,
                                                         VERDICT_UNKNOWN};
#define N_VERDICT_STATES 3

/* ---- fleet-wide ----------------------------------------------------------------------- */

static void render_build_info(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	open_series(r, family->name, "version", BACKUPD_VERSION);
	close_int(r, 1);
}

static void render_usbmuxd_up(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	bare_int(r, family->name, r->view->usbmuxd_up);
}

static bool feed_enabled(const struct metrics_view *view)
{
	return view->config->status_feed_url[0] != '\0';
}

static void render_feed_up(struct render *r, const struct metric_family *family)
{
	if (!feed_enabled(r->view))
		return;
	metrics_header(r, family);
	bare_int(r, family->name, r->view->feed != NULL && !r->view->feed->unreachable);
}

static void render_feed_last_success(struct render *r, const struct metric_family *family)
{
	if (!feed_enabled(r->view) || r->view->feed == NULL || !r->view->feed->have_good)
		return;
	metrics_header(r, family);
	bare_int(r, family->name, r->view->feed->last_good_unix);
}

static void render_icloud_service(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (int state = 0; state < N_VERDICT_STATES; state++) {
		open_series(r, family->name, "state", verdict_states[state]);
		close_int(r, verdict_state_order[state] == r->view->service->state);
	}
}

/* The readiness states (include/preconditions.h), and "detached" for remembered phones. */
static void render_device_counts(struct render *r, const struct metric_family *family)
{
	int64_t counts[READINESS_COUNT] = {0}, detached = 0;

	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		if (rec->attached)
			counts[verdicts_readiness(rec->verdicts, true)]++;
		else
			detached++;
	}
	metrics_header(r, family);
	for (int state = 0; state < READINESS_COUNT; state++) {
		open_series(r, family->name, "state", readiness_name(state));
		close_int(r, counts[state]);
	}
	open_series(r, family->name, "state", "detached");
	close_int(r, detached);
}

static void render_probes(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (int status = PROBE_OK; status < PROBE_STATUS_COUNT; status++) {
		open_series(r, family->name, "result", probe_status_name(status));
		mt_str(r->out, "} ");
		mt_uint(r->out, r->view->probes->by_status[status]);
		mt_str(r->out, "\n");
	}
}

static void render_probe_duration(struct render *r, const struct metric_family *family)
{
	const struct probe_stats *stats = r->view->probes;
	uint64_t cumulative = 0;

	metrics_header(r, family);
	for (int i = 0; i < PROBE_DURATION_BUCKETS; i++) {
		cumulative += stats->in_bucket[i];
		mt_str(r->out, family->name);
		mt_str(r->out, "_bucket{le=\"");
		mt_double(r->out, probe_duration_bounds_s[i]);
		mt_str(r->out, "\"} ");
		mt_uint(r->out, cumulative);
		mt_str(r->out, "\n");
	}
	mt_str(r->out, family->name);
	mt_str(r->out, "_sum ");
	mt_double(r->out, stats->seconds_sum);
	mt_str(r->out, "\n");
	mt_str(r->out, family->name);
	mt_str(r->out, "_count ");
	mt_uint(r->out, stats->count);
	mt_str(r->out, "\n");
}

static void render_alert_command_runs(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (int result = 0; result < HOOK_RESULT_COUNT; result++) {
		open_series(r, family->name, "result", hook_result_name(result));
		MT_LITERAL(r->out, "} ");
		mt_uint(r->out, r->view->alert_command.runs[result]);
		MT_LITERAL(r->out, "\n");
	}
}

static void render_alert_command_dropped(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	bare_uint(r, family->name, r->view->alert_command.dropped);
}

static void render_journal_dropped(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	bare_uint(r, family->name, r->view->journal_dropped);
}

/* ---- per device ----------------------------------------------------------------------- */

/* Where it is: slot_cart, not cart, which is the scrape's target label (one backupd may
 * serve several carts of [Hub] sections; exporter-conventions.md). "" when not known. */
static void add_slot_labels(struct render *r, const struct device_record *rec)
{
	struct slot_label label;
	slot_names_resolve(&r->view->config->port_names, rec->slot.port_path, &label);
	add_label(r, "slot_cart", label.cart);
	add_label(r, "slot", label.slot);
	add_label(r, "port_path", rec->slot.port_path);
}

static void render_device_info(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_facts *facts = &r->view->records[i]->facts;
		device_series(r, i);
		add_label(r, "name", facts->name);
		add_label(r, "model",
		          facts->product_type[0] ? model_name(facts->product_type) : "");
		add_label(r, "product_type", facts->product_type);
		add_label(r, "ios_version", facts->product_version);
		add_slot_labels(r, r->view->records[i]);
		close_int(r, 1);
	}
}

/* A per-device state set: one series per state, 1 for the current one, all always present. */
typedef const char *state_word_fn(int state);
typedef int device_state_fn(const struct device_record *rec);

static void device_state_set(struct render *r, const struct metric_family *family, int n_states,
                             state_word_fn *word, device_state_fn *current)
{
	char(*suffixes)[SUFFIX_MAX] = xcalloc((size_t)n_states, SUFFIX_MAX);
	for (int state = 0; state < n_states; state++)
		snprintf(suffixes[state], SUFFIX_MAX, ",state=\"%s\"} ", word(state));
	metrics_header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		int now = current(r->view->records[i]);
		for (int state = 0; state < n_states; state++) {
			device_series(r, i);
			mt_str(r->out, suffixes[state]);
			bool_value(r, now == state);
		}
	}
	free(suffixes);
}

static const char *readiness_word(int state)
{
	return readiness_name((enum readiness)state);
}

static int readiness_now(const struct device_record *rec)
{
	return (int)verdicts_readiness(rec->verdicts, rec->attached);
}

static void render_device_ready(struct render *r, const struct metric_family *family)
{
	device_state_set(r, family, READINESS_COUNT, readiness_word, readiness_now);
}

static const char *pairing_word(int state)
{
	return pair_state_word((enum pair_state)state);
}

/* A detached phone keeps the state it left with: what it will need when it is back. */
static int pairing_now(const struct device_record *rec)
{
	return (int)rec->pairing.state;
}

static void render_device_pairing(struct render *r, const struct metric_family *family)
{
	device_state_set(r, family, PAIR_STATE_COUNT, pairing_word, pairing_now);
}

/* A detached phone's verdicts are of its last attachment: shown as unknown, not as facts. */
static void render_device_preconditions(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		for (int p = 0; p < PRECOND_COUNT; p++) {
			enum verdict_state now =
			    rec->attached ? rec->verdicts[p].state : VERDICT_UNKNOWN;
			for (int state = 0; state < N_VERDICT_STATES; state++) {
				device_series(r, i);
				mt_bytes(r->out, r->precondition_suffix[p][state],
				         r->precondition_suffix_length[p][state]);
				bool_value(r, verdict_state_order[state] == now);
			}
		}
	}
}

static void render_device_gauge(struct render *r, const struct metric_family *family)
{
	metrics_header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		int64_t value;
		int decimals = 0;
		if (!family->value(r->view, rec, &value, &decimals))
			continue;
		device_series(r, i);
		MT_LITERAL(r->out, "} ");
		mt_fixed(r->out, value, decimals);
		mt_str(r->out, "\n");
	}
}

/* ---- the process ---------------------------------------------------------------------- */

/* The process_* families: one value of struct process_stats each, NAN when unread. */
static void render_process(struct render *r, const struct metric_family *family)
{
	if (!r->process_read) { /* once per part: a part without these skips /proc */
		metrics_process_read(&r->process);
		r->process_read = true;
	}
	double value = *(const double *)((const char *)&r->process + family->process_field);
	if (isnan(value))
		return;
	metrics_header(r, family);
	bare_double(r, family->name, value);
}

static int64_t part_elapsed_ns(const struct render *r)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - r->started.tv_sec) * 1000000000 +
	       (now.tv_nsec - r->started.tv_nsec);
}

/* Last, so that it covers the whole body but itself: the parts before this one and this one
 * so far, not the loop turns between them. */
static void render_scrape_duration(struct render *r, const struct metric_family *family)
{
	int64_t work_ns = r->cursor->work_ns + part_elapsed_ns(r);
	metrics_header(r, family);
	bare_double(r, family->name, (double)work_ns / 1e9);
}

static const struct metric_family families[] = {
    {"backupd_build_info", "gauge", "The version of backupd that answers; always 1.",
     RENDER(render_build_info)},
    {"backupd_usbmuxd_up", "gauge", "1 when usbmuxd accepts connections, 0 while it is gone.",
     RENDER(render_usbmuxd_up)},
    {"backupd_status_feed_up", "gauge",
     "1 when the last poll of Apple's System Status feed succeeded (absent when the feed is "
     "switched off).",
     RENDER(render_feed_up)},
    {"backupd_status_feed_last_success_timestamp_seconds", "gauge",
     "When Apple's System Status feed was last read successfully (Unix time).",
     RENDER(render_feed_last_success)},
    {"backupd_icloud_service", "gauge",
     "Apple's iCloud Backup service as its status feed reports it: 1 for the current state "
     "(ok: no event; failing: an ongoing outage or issue; unknown: no feed read yet).",
     RENDER(render_icloud_service)},
    {"backupd_devices", "gauge",
     "Known devices by readiness; detached counts the remembered phones that are not "
     "attached.",
     RENDER(render_device_counts)},
    {"backupd_probes_total", "counter", "Finished device probes by result since start.",
     RENDER(render_probes)},
    {"backupd_probe_duration_seconds", "histogram",
     "How long finished device probes took, timeouts and helper crashes included.",
     RENDER(render_probe_duration)},
    {"backupd_alert_command_runs_total", "counter",
     "Runs of [Alerts] AlertCommand= by how they ended since start (ok, failed, timeout, "
     "signal, error: could not be started).",
     RENDER(render_alert_command_runs)},
    {"backupd_alert_command_dropped_total", "counter",
     "Transitions not given to AlertCommand because its queue was full, since start.",
     RENDER(render_alert_command_dropped)},
    {"backupd_journal_dropped_total", "counter",
     "Journal entries dropped because journald did not keep up, since start.",
     RENDER(render_journal_dropped)},
    {"backupd_ios_catalog_up", "gauge",
     "1 when the last poll of the iOS release catalog ([IOS] CatalogURL) succeeded (absent "
     "when the catalog is switched off).",
     RENDER(metrics_render_ios_catalog_up)},
    {"backupd_ios_catalog_last_success_timestamp_seconds", "gauge",
     "When the iOS release catalog was last read successfully (Unix time).",
     RENDER(metrics_render_ios_catalog_last_success)},
    {"backupd_ios_catalog_releases", "gauge",
     "iPhone iOS releases in the catalog ios_current judges against (0: none yet).",
     RENDER(metrics_render_ios_catalog_releases)},
    {"backupd_ios_exploited_grace_seconds", "gauge",
     "[IOS] ExploitedGrace: how long an update that fixes actively exploited CVEs may wait "
     "before ios_current fails.",
     RENDER(metrics_render_ios_exploited_grace)},
    {"backupd_precondition_info", "gauge",
     "Each precondition backupd judges, with its blocker word and first fix as backupctl and "
     "the journal catalog give them; always 1. The alert rules take their fix annotation "
     "from it (join on precondition).",
     RENDER(metrics_render_precondition_info)},
    {"backupd_device_info", "gauge",
     "Descriptive labels of a known device (name, model, product type, iOS version, and the "
     "cart, slot and USB port it is in now); always 1. Join on udid.",
     RENDER(render_device_info)},
    {"backupd_device_attached", "gauge",
     "1 while the device is attached, 0 for a remembered device that is not.",
     DEVICE_GAUGE(metrics_value_attached)},
    {"backupd_device_ready", "gauge",
     "Whether the device can back up to iCloud: 1 for the current state (unknown: detached, "
     "unreachable or not probed in this attachment, or something that must be known is not; "
     "the rule of verdicts_readiness in include/preconditions.h).",
     RENDER(render_device_ready)},
    {"backupd_device_precondition", "gauge",
     "Each precondition of an iCloud backup: 1 for its current state (unknown while "
     "detached or unreadable).",
     RENDER(render_device_preconditions)},
    {"backupd_device_pairing", "gauge",
     "How far this host is paired with the device, as backupctl status shows it: 1 for the "
     "current state. Any state but paired, paired-supervised, paired-trusted and unknown (not "
     "probed yet) means the device cannot be read until it is paired.",
     RENDER(render_device_pairing)},
    {"backupd_device_last_backup_timestamp_seconds", "gauge",
     "When the device last completed an iCloud backup, as it reports (Unix time; absent "
     "when never or unknown).",
     DEVICE_GAUGE(metrics_value_last_backup)},
    {"backupd_device_last_probe_success_timestamp_seconds", "gauge",
     "When a probe last read the device successfully since backupd started (Unix time).",
     DEVICE_GAUGE(metrics_value_last_probe_ok)},
    {"backupd_device_battery_ratio", "gauge", "Battery charge of an attached device, 0 to 1.",
     DEVICE_GAUGE(metrics_value_battery)},
    {"backupd_device_external_power", "gauge",
     "1 when an attached device reports external power, 0 when it reports none.",
     DEVICE_GAUGE(metrics_value_external_power)},
    {"backupd_device_charging", "gauge",
     "1 when an attached device reports that it is charging, 0 when not.",
     DEVICE_GAUGE(metrics_value_charging)},
    {"backupd_device_backup_size_bytes", "gauge",
     "Estimated size of the device's iCloud backup: the data on the phone (capacity less "
     "free space), as the icloud_storage precondition uses it.",
     DEVICE_GAUGE(metrics_value_backup_size)},
    /* backupd_device_icloud_quota_bytes and every other rule limit an entry of the
     * precondition table names a metric for (metrics_precond.c) */
    {NULL, NULL, NULL, RENDER(metrics_render_precondition_limits)},
    {"backupd_device_ios_update_info", "gauge",
     "The iOS catalog's word on the device's iOS: state (current, available, ended: no "
     "longer updated, not-listed: not in the catalog), the installed version, the update to "
     "install (target_version, \"\" when none) and the newest release for the model; always "
     "1. One series per judged device: the labels change when the phone updates or the "
     "catalog does, so the series count is bounded by the device count. Join on udid.",
     RENDER(metrics_render_device_ios_update)},
    {"backupd_device_ios_exploited_cves", "gauge",
     "Actively exploited CVEs (CISA KEV, as the catalog lists them) that the updates the "
     "device lacks fix: what it is exposed to until updated.",
     DEVICE_GAUGE(metrics_value_ios_exploited)},
    {"backupd_device_ios_behind_since_timestamp_seconds", "gauge",
     "Release date of the first iOS update the device lacks (Unix time; absent when it is "
     "current).",
     DEVICE_GAUGE(metrics_value_ios_behind_since)},
    {"backupd_device_ios_exploited_since_timestamp_seconds", "gauge",
     "Release date of the first update the device lacks that fixes actively exploited CVEs "
     "(Unix time; absent when none).",
     DEVICE_GAUGE(metrics_value_ios_exploited_since)},
    {"process_resident_memory_bytes", "gauge", "Resident memory size of backupd in bytes.",
     PROCESS(resident_bytes)},
    {"process_virtual_memory_bytes", "gauge", "Virtual memory size of backupd in bytes.",
     PROCESS(virtual_bytes)},
    {"process_cpu_seconds_total", "counter", "User and system CPU time backupd has spent.",
     PROCESS(cpu_seconds)},
    {"process_open_fds", "gauge", "Open file descriptors of backupd.", PROCESS(open_fds)},
    {"process_max_fds", "gauge", "Most file descriptors backupd may open (soft limit).",
     PROCESS(max_fds)},
    {"process_start_time_seconds", "gauge", "When backupd started (Unix time).",
     PROCESS(start_time_unix)},
    {"backupd_scrape_duration_seconds", "gauge",
     "Time spent building this response, up to this line (a big fleet's is built over "
     "several loop turns; the turns between are not counted).",
     RENDER(render_scrape_duration)},
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

static void prepare(struct render *r)
{
	size_t n = r->view->n_records;

	metrics_text_init(&r->udids, n * 32);
	r->udid_at = xcalloc(n + 1, sizeof(*r->udid_at));
	for (size_t i = 0; i < n; i++) {
		r->udid_at[i] = r->udids.length;
		mt_label_value(&r->udids, r->view->records[i]->udid);
	}
	r->udid_at[n] = r->udids.length;
	for (int p = 0; p < PRECOND_COUNT; p++)
		for (int state = 0; state < N_VERDICT_STATES; state++)
			r->precondition_suffix_length[p][state] =
			    (size_t)snprintf(r->precondition_suffix[p][state], SUFFIX_MAX,
			                     ",precondition=\"%s\",state=\"%s\"} ",
			                     precondition_info(p)->name, verdict_states[state]);
}

static void render_family(struct render *r, const struct metric_family *family)
{
	if (family->render)
		family->render(r, family);
	else
		render_device_gauge(r, family);
}

bool metrics_render_part(const struct metrics_view *view, struct metrics_text *out,
                         struct metrics_render_cursor *cursor, int64_t budget_us)
{
	struct render r = {.out = out, .view = view, .cursor = cursor};

	assert(cursor->next_family < N_FAMILIES);
	clock_gettime(CLOCK_MONOTONIC, &r.started);
	if (cursor->next_family == 0)
		mt_reserve(out, view->n_records * BYTES_PER_DEVICE_GUESS);
	prepare(&r);
	do
		render_family(&r, &families[cursor->next_family++]);
	while (cursor->next_family < N_FAMILIES && part_elapsed_ns(&r) / 1000 < budget_us);
	cursor->work_ns += part_elapsed_ns(&r);
	metrics_text_free(&r.udids);
	free(r.udid_at);
	return cursor->next_family == N_FAMILIES;
}

void metrics_render(const struct metrics_view *view, struct metrics_text *out)
{
	struct metrics_render_cursor cursor = {0};
	metrics_render_part(view, out, &cursor, INT64_MAX);
}
