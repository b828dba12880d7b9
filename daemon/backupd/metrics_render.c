/* The /metrics body. One table row per metric family: its name, type and help text live only
 * here (the README lists the names and points at the HELP lines). Per-device series carry the
 * udid label alone; name, model and versions sit on backupd_device_info only, so renaming a
 * phone changes one series, not forty. */
#include <math.h>
#include <time.h>

#include "fleet.h"
#include "metrics_process.h"
#include "metrics_readiness.h"
#include "metrics_render.h"
#include "models.h"
#include "version.h"

#define BYTES_PER_DEVICE_GUESS 4096 /* a 1000-device scrape is about 4 MB */

struct render {
	struct metrics_text *out;
	const struct metrics_view *view;
	struct process_stats process;
	struct timespec started;
};

struct metric_family;
typedef void render_fn(struct render *r, const struct metric_family *family);
/* One gauge per device: false when the device gives no such value (no sample then). The
 * value is value / 10^decimals. */
typedef bool device_value_fn(const struct metrics_view *view, const struct device_record *rec,
                             int64_t *value, int *decimals);

struct metric_family {
	const char *name;
	const char *type;
	const char *help;
	render_fn *render; /* NULL: a gauge per device, from value */
	device_value_fn *value;
};

static const char *const verdict_states[] = {"ok", "failing", "unknown"};
static const enum verdict_state verdict_state_order[] = {VERDICT_OK, VERDICT_FAILING,
                                                         VERDICT_UNKNOWN};
#define N_VERDICT_STATES 3

/* ---- lines ---------------------------------------------------------------------------- */

static void header(struct render *r, const struct metric_family *family)
{
	mt_str(r->out, "# HELP ");
	mt_str(r->out, family->name);
	mt_str(r->out, " ");
	mt_str(r->out, family->help);
	mt_str(r->out, "\n# TYPE ");
	mt_str(r->out, family->name);
	mt_str(r->out, " ");
	mt_str(r->out, family->type);
	mt_str(r->out, "\n");
}

/* `name{label="value"` without the closing brace: callers add more labels or "} ". */
static void open_series(struct render *r, const char *name, const char *label, const char *value)
{
	mt_str(r->out, name);
	mt_str(r->out, "{");
	mt_str(r->out, label);
	mt_str(r->out, "=");
	mt_label_value(r->out, value);
}

static void add_label(struct render *r, const char *label, const char *value)
{
	mt_str(r->out, ",");
	mt_str(r->out, label);
	mt_str(r->out, "=");
	mt_label_value(r->out, value);
}

static void close_int(struct render *r, int64_t value)
{
	mt_str(r->out, "} ");
	mt_int(r->out, value);
	mt_str(r->out, "\n");
}

static void bare_int(struct render *r, const char *name, int64_t value)
{
	mt_str(r->out, name);
	mt_str(r->out, " ");
	mt_int(r->out, value);
	mt_str(r->out, "\n");
}

static void bare_double(struct render *r, const char *name, double value)
{
	mt_str(r->out, name);
	mt_str(r->out, " ");
	mt_double(r->out, value);
	mt_str(r->out, "\n");
}

static void label_and_comma(struct render *r, const char *label, const char *value)
{
	mt_str(r->out, label);
	mt_str(r->out, "=");
	mt_label_value(r->out, value);
	mt_str(r->out, ",");
}

/* A state set: one series per state, 1 for the current one. Labels may be NULL. */
static void state_set(struct render *r, const char *name, const char *label, const char *value,
                      const char *extra_label, const char *extra_value, enum verdict_state now)
{
	for (int i = 0; i < N_VERDICT_STATES; i++) {
		mt_str(r->out, name);
		mt_str(r->out, "{");
		if (label)
			label_and_comma(r, label, value);
		if (extra_label)
			label_and_comma(r, extra_label, extra_value);
		mt_str(r->out, "state=\"");
		mt_str(r->out, verdict_states[i]);
		mt_str(r->out, "\"");
		close_int(r, verdict_state_order[i] == now);
	}
}

/* ---- fleet-wide ----------------------------------------------------------------------- */

static void render_build_info(struct render *r, const struct metric_family *family)
{
	header(r, family);
	open_series(r, family->name, "version", BACKUPD_VERSION);
	close_int(r, 1);
}

static void render_usbmuxd_up(struct render *r, const struct metric_family *family)
{
	header(r, family);
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
	header(r, family);
	bare_int(r, family->name, r->view->feed != NULL && !r->view->feed->unreachable);
}

static void render_feed_last_success(struct render *r, const struct metric_family *family)
{
	if (!feed_enabled(r->view) || r->view->feed == NULL || !r->view->feed->have_good)
		return;
	header(r, family);
	bare_int(r, family->name, r->view->feed->last_good_unix);
}

static void render_icloud_service(struct render *r, const struct metric_family *family)
{
	header(r, family);
	state_set(r, family->name, NULL, NULL, NULL, NULL, r->view->service->state);
}

static void render_device_counts(struct render *r, const struct metric_family *family)
{
	static const char *const states[] = {"ready", "not_ready", "unknown", "detached"};
	int64_t counts[4] = {0};

	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		counts[rec->attached ? (int)metrics_device_readiness(rec) : 3]++;
	}
	header(r, family);
	for (int i = 0; i < 4; i++) {
		open_series(r, family->name, "state", states[i]);
		close_int(r, counts[i]);
	}
}

static void render_probes(struct render *r, const struct metric_family *family)
{
	header(r, family);
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

	header(r, family);
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

/* ---- per device ----------------------------------------------------------------------- */

static void render_device_info(struct render *r, const struct metric_family *family)
{
	header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_facts *facts = &r->view->records[i]->facts;
		open_series(r, family->name, "udid", r->view->records[i]->udid);
		add_label(r, "name", facts->name);
		add_label(r, "model",
		          facts->product_type[0] ? model_name(facts->product_type) : "");
		add_label(r, "product_type", facts->product_type);
		add_label(r, "ios_version", facts->product_version);
		close_int(r, 1);
	}
}

static void render_device_ready(struct render *r, const struct metric_family *family)
{
	header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		enum metrics_readiness now = metrics_device_readiness(rec);
		for (int state = 0; state < READINESS_COUNT; state++) {
			open_series(r, family->name, "udid", rec->udid);
			mt_str(r->out, ",state=\"");
			mt_str(r->out, metrics_readiness_name(state));
			mt_str(r->out, "\"");
			close_int(r, (int)now == state);
		}
	}
}

/* A detached phone's verdicts are of its last attachment: shown as unknown, not as facts. */
static void render_device_preconditions(struct render *r, const struct metric_family *family)
{
	header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		for (int p = 0; p < PRECOND_COUNT; p++)
			state_set(r, family->name, "udid", rec->udid, "precondition",
			          precondition_info(p)->name,
			          rec->attached ? rec->verdicts[p].state : VERDICT_UNKNOWN);
	}
}

static void render_device_gauge(struct render *r, const struct metric_family *family)
{
	header(r, family);
	for (size_t i = 0; i < r->view->n_records; i++) {
		const struct device_record *rec = r->view->records[i];
		int64_t value;
		int decimals = 0;
		if (!family->value(r->view, rec, &value, &decimals))
			continue;
		open_series(r, family->name, "udid", rec->udid);
		mt_str(r->out, "} ");
		mt_fixed(r->out, value, decimals);
		mt_str(r->out, "\n");
	}
}

static bool value_attached(const struct metrics_view *view, const struct device_record *rec,
                           int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->attached;
	return true;
}

static bool value_last_backup(const struct metrics_view *view, const struct device_record *rec,
                              int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->facts.last_backup_unix;
	return rec->facts.has_last_backup;
}

static bool value_last_probe_ok(const struct metrics_view *view, const struct device_record *rec,
                                int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	*value = rec->last_probe_ok_unix;
	return rec->last_probe_ok_unix > 0;
}

/* What a phone shows now (power, storage) is exported only while it is attached. */
static bool value_battery(const struct metrics_view *view, const struct device_record *rec,
                          int64_t *value, int *decimals)
{
	(void)view;
	int percent = rec->facts.battery_percent;
	*value = percent > 100 ? 100 : percent;
	*decimals = 2;
	return rec->attached && percent >= 0;
}

static bool tristate_value(const struct device_record *rec, enum tristate state, int64_t *value)
{
	*value = state == TRI_YES;
	return rec->attached && state != TRI_UNKNOWN;
}

static bool value_external_power(const struct metrics_view *view, const struct device_record *rec,
                                 int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	return tristate_value(rec, rec->facts.external_connected, value);
}

static bool value_charging(const struct metrics_view *view, const struct device_record *rec,
                           int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	return tristate_value(rec, rec->facts.battery_charging, value);
}

/* The icloud_storage rule's estimate: data on the phone (capacity less available). */
static bool value_backup_size(const struct metrics_view *view, const struct device_record *rec,
                              int64_t *value, int *decimals)
{
	(void)view, (void)decimals;
	int64_t capacity = rec->facts.total_data_capacity;
	int64_t available = rec->facts.total_data_available;
	*value = capacity - available;
	return rec->attached && capacity >= 0 && available >= 0 && available <= capacity;
}

static bool value_quota(const struct metrics_view *view, const struct device_record *rec,
                        int64_t *value, int *decimals)
{
	(void)decimals;
	*value = config_limits_for(view->config, rec->udid).icloud_quota_bytes;
	return true;
}

/* ---- the process ---------------------------------------------------------------------- */

static void render_resident(struct render *r, const struct metric_family *family)
{
	if (!r->process.have_stat)
		return;
	header(r, family);
	bare_int(r, family->name, r->process.resident_bytes);
}

static void render_virtual(struct render *r, const struct metric_family *family)
{
	if (!r->process.have_stat)
		return;
	header(r, family);
	bare_int(r, family->name, r->process.virtual_bytes);
}

static void render_cpu(struct render *r, const struct metric_family *family)
{
	if (!r->process.have_stat)
		return;
	header(r, family);
	bare_double(r, family->name, r->process.cpu_seconds);
}

static void render_start_time(struct render *r, const struct metric_family *family)
{
	if (!r->process.have_stat)
		return;
	header(r, family);
	bare_double(r, family->name, round(r->process.start_time_unix * 100) / 100);
}

static void render_open_fds(struct render *r, const struct metric_family *family)
{
	if (r->process.open_fds < 0)
		return;
	header(r, family);
	bare_int(r, family->name, r->process.open_fds);
}

static void render_max_fds(struct render *r, const struct metric_family *family)
{
	if (r->process.max_fds < 0)
		return;
	header(r, family);
	bare_int(r, family->name, r->process.max_fds);
}

/* Last, so that it covers the whole body but itself. */
static void render_scrape_duration(struct render *r, const struct metric_family *family)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	header(r, family);
	bare_double(r, family->name,
	            (double)(now.tv_sec - r->started.tv_sec) +
	                (double)(now.tv_nsec - r->started.tv_nsec) / 1e9);
}

static const struct metric_family families[] = {
    {"backupd_build_info", "gauge", "The version of backupd that answers; always 1.",
     render_build_info, NULL},
    {"backupd_usbmuxd_up", "gauge", "1 when usbmuxd accepts connections, 0 while it is gone.",
     render_usbmuxd_up, NULL},
    {"backupd_status_feed_up", "gauge",
     "1 when the last poll of Apple's System Status feed succeeded (absent when the feed is "
     "switched off).",
     render_feed_up, NULL},
    {"backupd_status_feed_last_success_timestamp_seconds", "gauge",
     "When Apple's System Status feed was last read successfully (Unix time).",
     render_feed_last_success, NULL},
    {"backupd_icloud_service", "gauge",
     "Apple's iCloud Backup service as its status feed reports it: 1 for the current state "
     "(ok: no event; failing: an ongoing outage or issue; unknown: no feed read yet).",
     render_icloud_service, NULL},
    {"backupd_devices", "gauge",
     "Known devices by readiness; detached counts the remembered phones that are not "
     "attached.",
     render_device_counts, NULL},
    {"backupd_probes_total", "counter", "Finished device probes by result since start.",
     render_probes, NULL},
    {"backupd_probe_duration_seconds", "histogram",
     "How long finished device probes took, timeouts and helper crashes included.",
     render_probe_duration, NULL},
    {"backupd_device_info", "gauge",
     "Descriptive labels of a known device (name, model, product type, iOS version); always "
     "1. Join on udid.",
     render_device_info, NULL},
    {"backupd_device_attached", "gauge",
     "1 while the device is attached, 0 for a remembered device that is not.", NULL,
     value_attached},
    {"backupd_device_ready", "gauge",
     "Whether the device can back up to iCloud tonight: 1 for the current state (unknown: "
     "detached, not yet probed in this attachment, or unreachable).",
     render_device_ready, NULL},
    {"backupd_device_precondition", "gauge",
     "Each precondition of an iCloud backup: 1 for its current state (unknown while "
     "detached or unreadable).",
     render_device_preconditions, NULL},
    {"backupd_device_last_backup_timestamp_seconds", "gauge",
     "When the device last completed an iCloud backup, as it reports (Unix time; absent "
     "when never or unknown).",
     NULL, value_last_backup},
    {"backupd_device_last_probe_success_timestamp_seconds", "gauge",
     "When a probe last read the device successfully since backupd started (Unix time).", NULL,
     value_last_probe_ok},
    {"backupd_device_battery_ratio", "gauge", "Battery charge of an attached device, 0 to 1.", NULL,
     value_battery},
    {"backupd_device_external_power", "gauge",
     "1 when an attached device reports external power, 0 when it reports none.", NULL,
     value_external_power},
    {"backupd_device_charging", "gauge",
     "1 when an attached device reports that it is charging, 0 when not.", NULL, value_charging},
    {"backupd_device_backup_size_bytes", "gauge",
     "Estimated size of the device's iCloud backup: the data on the phone (capacity less "
     "free space), as the icloud_storage precondition uses it.",
     NULL, value_backup_size},
    {"backupd_device_icloud_quota_bytes", "gauge",
     "The iCloud storage the device's backup must fit in (ICloudQuota, per device or "
     "fleet-wide).",
     NULL, value_quota},
    {"process_resident_memory_bytes", "gauge", "Resident memory size of backupd in bytes.",
     render_resident, NULL},
    {"process_virtual_memory_bytes", "gauge", "Virtual memory size of backupd in bytes.",
     render_virtual, NULL},
    {"process_cpu_seconds_total", "counter", "User and system CPU time backupd has spent.",
     render_cpu, NULL},
    {"process_open_fds", "gauge", "Open file descriptors of backupd.", render_open_fds, NULL},
    {"process_max_fds", "gauge", "Most file descriptors backupd may open (soft limit).",
     render_max_fds, NULL},
    {"process_start_time_seconds", "gauge", "When backupd started (Unix time).", render_start_time,
     NULL},
    {"backupd_scrape_duration_seconds", "gauge",
     "How long building this response took, up to this line.", render_scrape_duration, NULL},
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

void metrics_view_of(struct fleet *fleet, const struct backupd_config *config,
                     struct metrics_view *out)
{
	struct fleet_summary summary;
	fleet_summary(fleet, &summary);
	out->records = fleet_records(fleet, &out->n_records);
	out->config = config;
	out->feed = fleet_feed(fleet);
	out->service = fleet_service(fleet);
	out->usbmuxd_up = summary.usbmuxd_present;
	out->probes = fleet_probe_stats(fleet);
}

void metrics_render(const struct metrics_view *view, struct metrics_text *out)
{
	struct render r = {.out = out, .view = view};

	clock_gettime(CLOCK_MONOTONIC, &r.started);
	metrics_process_read(&r.process);
	mt_reserve(out, view->n_records * BYTES_PER_DEVICE_GUESS);
	for (size_t i = 0; i < N_FAMILIES; i++) {
		if (families[i].render)
			families[i].render(&r, &families[i]);
		else
			render_device_gauge(&r, &families[i]);
	}
}
