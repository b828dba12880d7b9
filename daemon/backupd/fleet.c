/* fleet: the devices, their probes, verdicts and alerts. Everything here runs on the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alert.h"
#include "clock.h"
#include "fleet.h"
#include "persist.h"
#include "probe_pool.h"
#include "refresh.h"
#include "rules.h"
#include "xmalloc.h"

struct fleet_device {
	struct device_record rec;
	int probe_hint; /* helper slot holding its session, -1 = none */
	bool probe_in_flight;
	bool probe_again; /* asked for while a probe was in flight */
	bool probe_stale; /* the probe in flight began before a detach: ignore its result */
};

struct fleet {
	struct event_base *base;
	const struct backupd_config *config;
	struct probe_pool *pool;
	struct fleet_device **devices;
	size_t n_devices, cap_devices;
	struct device_record **record_view; /* rebuilt by fleet_records */
	struct feed_state feed;
	bool have_feed;
	struct verdict service;
	struct fleet_alerts fleet_alerts;
	bool usbmuxd_present;
	struct event *poll_timer;
	struct persist *persist;
	struct refresh_set *refreshes;
	bool batching; /* evaluating every device: announce once at the end */
	void (*changed)(void *arg);
	void *changed_arg;
};

static void probe_done(void *arg, const struct device_facts *facts, int served_by);

static struct fleet_device *find_device(const struct fleet *fleet, const char *udid)
{
	for (size_t i = 0; i < fleet->n_devices; i++)
		if (strcmp(fleet->devices[i]->rec.udid, udid) == 0)
			return fleet->devices[i];
	return NULL;
}

static struct fleet_device *add_device(struct fleet *fleet, const char *udid)
{
	if (fleet->n_devices == fleet->cap_devices) {
		fleet->cap_devices = fleet->cap_devices ? fleet->cap_devices * 2 : 64;
		fleet->devices =
		    xreallocarray(fleet->devices, fleet->cap_devices, sizeof(*fleet->devices));
	}
	struct fleet_device *dev = xcalloc(1, sizeof(*dev));
	strlcpy_safe(dev->rec.udid, udid, sizeof(dev->rec.udid));
	facts_init(&dev->rec.facts, udid);
	dev->rec.first_seen_unix = clock_wall_unix();
	dev->probe_hint = -1;
	fleet->devices[fleet->n_devices++] = dev;
	return dev;
}

static void mark_dirty(struct fleet *fleet)
{
	persist_mark_dirty(fleet->persist);
}

static void announce_change(struct fleet *fleet)
{
	if (fleet->changed && !fleet->batching)
		fleet->changed(fleet->changed_arg);
}

/* Runs the rules over what is known of dev and writes the transitions. */
static void evaluate(struct fleet *fleet, struct fleet_device *dev)
{
	struct verdict verdicts[PRECOND_COUNT];
	int64_t now = clock_wall_unix();
	struct rule_limits limits = config_limits_for(fleet->config, dev->rec.udid);
	rules_evaluate(&dev->rec.facts, fleet->have_feed ? &fleet->feed : NULL, &limits, now,
	               verdicts);
	int written = alert_device_verdicts(&dev->rec, verdicts, now,
	                                    fleet->config->alert_holdoff_ms / 1000, NULL);
	bool changed = written > 0 || !verdicts_equal(verdicts, dev->rec.verdicts);
	memcpy(dev->rec.verdicts, verdicts, sizeof(verdicts));
	changed = alert_device_repeats(&dev->rec, now) > 0 || changed;
	if (changed) {
		mark_dirty(fleet);
		announce_change(fleet);
	}
}

/* Re-evaluates every attached device, then says once that something changed. */
static void evaluate_attached(struct fleet *fleet)
{
	fleet->batching = true;
	for (size_t i = 0; i < fleet->n_devices; i++)
		if (fleet->devices[i]->rec.attached)
			evaluate(fleet, fleet->devices[i]);
	fleet->batching = false;
	announce_change(fleet);
}

static void request_probe(struct fleet *fleet, struct fleet_device *dev)
{
	if (dev->probe_in_flight) {
		dev->probe_again = true;
		return;
	}
	dev->probe_in_flight = true;
	probe_pool_submit(fleet->pool, dev->rec.udid, dev->probe_hint);
}

/* A failed probe keeps what it could not re-read but is still true of the device: who it is
 * and when it last backed up. Everything else becomes unknown. */
static void merge_facts(struct device_facts *dst, const struct device_facts *src)
{
	struct device_facts old = *dst;
	*dst = *src;
	if (src->status == PROBE_OK)
		return;
	if (!dst->name[0])
		memcpy(dst->name, old.name, sizeof(dst->name));
	if (!dst->product_type[0])
		memcpy(dst->product_type, old.product_type, sizeof(dst->product_type));
	if (!dst->product_version[0])
		memcpy(dst->product_version, old.product_version, sizeof(dst->product_version));
	if (!dst->build_version[0])
		memcpy(dst->build_version, old.build_version, sizeof(dst->build_version));
	if (!dst->serial[0])
		memcpy(dst->serial, old.serial, sizeof(dst->serial));
	if (!dst->has_last_backup && old.has_last_backup) {
		dst->has_last_backup = true;
		dst->last_backup_unix = old.last_backup_unix;
	}
}

static void probe_done(void *arg, const struct device_facts *facts, int served_by)
{
	struct fleet *fleet = arg;
	struct fleet_device *dev = find_device(fleet, facts->udid);
	if (!dev)
		return;
	dev->probe_in_flight = false;
	dev->probe_hint = served_by;
	bool stale = dev->probe_stale;
	dev->probe_stale = false;
	if (dev->rec.attached && !stale && facts->status != PROBE_NOT_YET) {
		bool identity_changed =
		    strcmp(dev->rec.facts.name, facts->name) != 0 ||
		    strcmp(dev->rec.facts.product_version, facts->product_version) != 0;
		merge_facts(&dev->rec.facts, facts);
		if (facts->status == PROBE_OK)
			dev->rec.last_probe_ok_unix = facts->probed_at_unix;
		evaluate(fleet, dev);
		if (identity_changed)
			mark_dirty(fleet);
	}
	refresh_note_probe(fleet->refreshes, facts->udid);
	if (dev->probe_again && dev->rec.attached) {
		dev->probe_again = false;
		request_probe(fleet, dev);
	}
}

static void device_attached(struct fleet *fleet, const char *udid)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev)
		dev = add_device(fleet, udid);
	if (dev->rec.attached)
		return; /* the start-up listing and the subscription both report it */
	dev->rec.attached = true;
	dev->rec.last_seen_unix = clock_wall_unix();
	alert_device_attached(&dev->rec, NULL);
	evaluate(fleet, dev);
	mark_dirty(fleet);
	announce_change(fleet);
	request_probe(fleet, dev);
}

static void device_detached(struct fleet *fleet, const char *udid)
{
	struct fleet_device *dev = find_device(fleet, udid);
	if (!dev || !dev->rec.attached)
		return;
	dev->rec.attached = false;
	dev->rec.last_seen_unix = clock_wall_unix();
	dev->probe_again = false;
	alert_device_detached(&dev->rec, NULL);
	if (probe_pool_forget(fleet->pool, udid))
		dev->probe_in_flight = false; /* it was still queued: no result will come */
	else if (dev->probe_in_flight)
		dev->probe_stale = true; /* it was running: its result is of the old attachment */
	mark_dirty(fleet);
	announce_change(fleet);
}

void fleet_hotplug(struct fleet *fleet, enum hotplug_kind kind, const char *udid)
{
	switch (kind) {
	case HOTPLUG_ATTACHED:
		device_attached(fleet, udid);
		break;
	case HOTPLUG_DETACHED:
		device_detached(fleet, udid);
		break;
	case HOTPLUG_PAIRED: {
		/* Trust was tapped: the old failure (not paired) is stale, probe at once. */
		struct fleet_device *dev = find_device(fleet, udid);
		if (dev && dev->rec.attached)
			request_probe(fleet, dev);
		break;
	}
	}
}

void fleet_usbmuxd_presence(struct fleet *fleet, bool present)
{
	fleet->usbmuxd_present = present;
	char path[108] = "";
	hotplug_usbmuxd_path(path, sizeof(path));
	char detail[160];
	snprintf(detail, sizeof(detail), "no usbmuxd listening at %s", path);
	if (alert_usbmuxd(&fleet->fleet_alerts, present, present ? NULL : detail, NULL) > 0)
		mark_dirty(fleet);
	announce_change(fleet);
}

static void evaluate_service(struct fleet *fleet)
{
	int64_t now = clock_wall_unix();
	const struct feed_state *feed = fleet->have_feed ? &fleet->feed : NULL;
	rules_icloud_service(feed, now, &fleet->service);
	int written = alert_icloud_service(&fleet->fleet_alerts, &fleet->service, feed, now,
	                                   fleet->config->alert_holdoff_ms / 1000, NULL);
	if (feed)
		written +=
		    alert_feed_reachability(&fleet->fleet_alerts, feed, now,
		                            fleet->config->status_feed_alert_after_ms / 1000, NULL);
	if (written > 0)
		mark_dirty(fleet);
}

void fleet_feed_changed(struct fleet *fleet, const struct feed_state *feed)
{
	fleet->feed = *feed;
	fleet->have_feed = true;
	evaluate_service(fleet);
	/* icloud_service is a row of every device's verdicts (never announced per device). */
	evaluate_attached(fleet);
}

static void poll_all(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct fleet *fleet = arg;
	for (size_t i = 0; i < fleet->n_devices; i++)
		if (fleet->devices[i]->rec.attached)
			request_probe(fleet, fleet->devices[i]);
	/* Time passes for the feed too: "unreachable for longer than ..." needs a clock tick. */
	evaluate_service(fleet);
}

static void schedule_polls(struct fleet *fleet)
{
	struct timeval every = clock_timeval_ms(fleet->config->poll_interval_ms);
	event_del(fleet->poll_timer);
	event_add(fleet->poll_timer, &every);
}

static void save_due(void *arg)
{
	fleet_save_state(arg);
}

static struct probe_pool_options pool_options(const struct backupd_config *config)
{
	struct probe_pool_options opts = {
	    .workers = config->workers,
	    .timeout_ms = config->probe_timeout_ms,
	    .helper_exe = getenv("BACKUPD_HELPER_EXE"),
	};
	return opts;
}

struct fleet *fleet_new(struct event_base *base, const struct backupd_config *config)
{
	struct fleet *fleet = xcalloc(1, sizeof(*fleet));
	fleet->base = base;
	fleet->config = config;
	struct probe_pool_options opts = pool_options(config);
	fleet->pool = probe_pool_new(base, &opts, probe_done, fleet);
	fleet->poll_timer = event_new(base, -1, EV_PERSIST, poll_all, fleet);
	fleet->persist = persist_new(base, save_due, fleet);
	fleet->refreshes = refresh_set_new(base);
	fleet->usbmuxd_present = true;
	rules_icloud_service(NULL, clock_wall_unix(), &fleet->service);
	schedule_polls(fleet);
	return fleet;
}

void fleet_reconfigure(struct fleet *fleet, const struct backupd_config *config)
{
	fleet->config = config;
	struct probe_pool_options opts = pool_options(config);
	probe_pool_reconfigure(fleet->pool, &opts);
	schedule_polls(fleet);
	/* New limits (MinimumIOS, ICloudQuota, ...) apply at once, without a probe. */
	evaluate_attached(fleet);
}

void fleet_on_change(struct fleet *fleet, void (*changed)(void *arg), void *arg)
{
	fleet->changed = changed;
	fleet->changed_arg = arg;
}

void fleet_load_state(struct fleet *fleet)
{
	struct device_record *records;
	size_t n = persist_load(fleet->config->state_directory, &records, &fleet->fleet_alerts);
	for (size_t i = 0; i < n; i++) {
		if (find_device(fleet, records[i].udid))
			continue;
		struct fleet_device *dev = add_device(fleet, records[i].udid);
		dev->rec = records[i];
		dev->rec.attached = false;
	}
	free(records);
}

void fleet_save_state(struct fleet *fleet)
{
	if (!persist_dirty(fleet->persist))
		return;
	size_t n;
	fleet_records(fleet, &n);
	persist_save(fleet->persist, fleet->config->state_directory, fleet->record_view, n,
	             &fleet->fleet_alerts, clock_wall_unix(),
	             fleet->config->limits.max_backup_age_s);
}

void fleet_refresh(struct fleet *fleet, const char *const *udids, size_t n, int64_t limit_ms,
                   fleet_refresh_done_fn done, void *arg)
{
	size_t want = n ? n : fleet->n_devices;
	const char **wanted = xcalloc(want ? want : 1, sizeof(*wanted));
	bool *running = xcalloc(want ? want : 1, sizeof(*running));
	size_t n_wanted = 0;
	int skipped = 0;
	for (size_t i = 0; i < want; i++) {
		struct fleet_device *dev =
		    find_device(fleet, n ? udids[i] : fleet->devices[i]->rec.udid);
		if (!dev || !dev->rec.attached) {
			skipped += n ? 1 : 0; /* "all" means every attached device */
			continue;
		}
		running[n_wanted] = dev->probe_in_flight;
		wanted[n_wanted++] = dev->rec.udid;
	}
	refresh_wait_start(fleet->refreshes, wanted, running, n_wanted, skipped, limit_ms, done,
	                   arg);
	for (size_t i = 0; i < n_wanted; i++)
		request_probe(fleet, find_device(fleet, wanted[i]));
	free(wanted);
	free(running);
}

const struct device_record *const *fleet_records(struct fleet *fleet, size_t *n)
{
	fleet->record_view =
	    xreallocarray(fleet->record_view, fleet->n_devices ? fleet->n_devices : 1,
	                  sizeof(*fleet->record_view));
	for (size_t i = 0; i < fleet->n_devices; i++)
		fleet->record_view[i] = &fleet->devices[i]->rec;
	*n = fleet->n_devices;
	return (const struct device_record *const *)fleet->record_view;
}

const char *fleet_resolve(struct fleet *fleet, const char *udid_or_name)
{
	struct fleet_device *dev = find_device(fleet, udid_or_name);
	if (dev)
		return dev->rec.udid;
	for (size_t i = 0; i < fleet->n_devices; i++)
		if (strcmp(fleet->devices[i]->rec.facts.name, udid_or_name) == 0)
			return fleet->devices[i]->rec.udid;
	return NULL;
}

const struct feed_state *fleet_feed(const struct fleet *fleet)
{
	return fleet->have_feed ? &fleet->feed : NULL;
}

const struct verdict *fleet_service(const struct fleet *fleet)
{
	return &fleet->service;
}

const struct probe_stats *fleet_probe_stats(const struct fleet *fleet)
{
	return probe_pool_stats(fleet->pool);
}

void fleet_summary(const struct fleet *fleet, struct fleet_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->usbmuxd_present = fleet->usbmuxd_present;
	for (size_t i = 0; i < fleet->n_devices; i++) {
		const struct device_record *rec = &fleet->devices[i]->rec;
		out->devices++;
		if (!rec->attached)
			continue;
		out->attached++;
		if (verdicts_ready(rec->verdicts))
			out->ready++;
		else
			out->not_ready++;
	}
}

void fleet_summary_line(const struct fleet *fleet, char *buf, size_t size)
{
	struct fleet_summary s;
	fleet_summary(fleet, &s);
	snprintf(buf, size, "%d devices attached, %d not ready%s%s", s.attached, s.not_ready,
	         s.usbmuxd_present ? "" : "; usbmuxd not running",
	         fleet->service.state == VERDICT_FAILING ? "; Apple iCloud Backup: event" : "");
}

void fleet_free(struct fleet *fleet)
{
	if (!fleet)
		return;
	refresh_set_free(fleet->refreshes);
	fleet_save_state(fleet);
	persist_free(fleet->persist);
	probe_pool_free(fleet->pool);
	event_free(fleet->poll_timer);
	for (size_t i = 0; i < fleet->n_devices; i++)
		free(fleet->devices[i]);
	free(fleet->devices);
	free(fleet->record_view);
	free(fleet);
}
