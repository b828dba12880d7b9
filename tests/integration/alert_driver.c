/* SPDX-License-Identifier: ISC */
/* alert_driver: feeds a script of verdicts through alert.c with the real journal sink
 * (journal.c), for tests/integration/test_journal_alert.sh.
 *
 * Reads commands from stdin, one a line ('#' starts a comment):
 *   holdoff SECONDS                      AlertHoldoff (default 3600)
 *   at UNIX                              the "now" of the following commands
 *   device UDID NAME PRODUCT IOS         select (creating if new) the current device
 *   verdict PRECOND STATE [PROBE] REASON set a verdict of the current device; for reachable
 *                                        failing, PROBE is the probe status (not_paired, ...)
 *   eval                                 alert_device_verdicts() on the current device
 *   attach | detach                      alert_device_attached() / _detached()
 *   usbmuxd up|down [DETAIL]             alert_usbmuxd()
 *   feed unreachable SINCE ERROR | feed ok   alert_feed_reachability() (UnreachableAlertAfter 600
 * s) apple TYPE SINCE MESSAGE | apple ok  alert_icloud_service() log PRIORITY TEXT log_priority()
 * with a LOG_* number Prints "N entries" for each command that may write. Exit 2 on a line it does
 * not know. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "precondition.h"

#define DEVICES_MAX      8
#define FEED_ALERT_AFTER 600

struct driver {
	struct device_record devices[DEVICES_MAX];
	struct verdict verdicts[DEVICES_MAX][PRECOND_COUNT];
	int n_devices, current;
	int64_t now, holdoff;
	struct fleet_alerts fleet;
	struct feed_state feed;
};

static int probe_status_by_name(const char *name)
{
	for (int i = 0; i < PROBE_STATUS_COUNT; i++)
		if (strcmp(name, probe_status_name((enum probe_status)i)) == 0)
			return i;
	return -1;
}

static int cmd_device(struct driver *d, char *args)
{
	char udid[UDID_MAX], name[64], product[32], ios[24];
	struct device_record *rec;

	if (sscanf(args, "%63s %63s %31s %23s", udid, name, product, ios) != 4)
		return -1;
	for (d->current = 0; d->current < d->n_devices; d->current++)
		if (strcmp(d->devices[d->current].udid, udid) == 0)
			return 0;
	if (d->n_devices == DEVICES_MAX)
		return -1;
	d->current = d->n_devices++;
	rec = &d->devices[d->current];
	snprintf(rec->udid, sizeof(rec->udid), "%s", udid);
	facts_init(&rec->facts, udid);
	rec->facts.status = PROBE_OK;
	snprintf(rec->facts.name, sizeof(rec->facts.name), "%s", name);
	snprintf(rec->facts.product_type, sizeof(rec->facts.product_type), "%s", product);
	snprintf(rec->facts.product_version, sizeof(rec->facts.product_version), "%s", ios);
	return 0;
}

static int cmd_verdict(struct driver *d, char *args)
{
	char precond[32], state[16], probe[32];
	int used = 0, id, st, status = -1;
	struct verdict *v;

	if (d->n_devices == 0 || sscanf(args, "%31s %15s %n", precond, state, &used) != 2)
		return -1;
	id = precondition_by_name(precond);
	st = verdict_state_by_name(state);
	if (id < 0 || st < 0)
		return -1;
	args += used;
	if (id == PRECOND_REACHABLE && st == VERDICT_FAILING) {
		if (sscanf(args, "%31s %n", probe, &used) != 1 ||
		    (status = probe_status_by_name(probe)) < 0)
			return -1;
		args += used;
	}
	if (id == PRECOND_REACHABLE)
		d->devices[d->current].facts.status =
		    status >= 0 ? (enum probe_status)status : PROBE_OK;
	v = &d->verdicts[d->current][id];
	v->state = (enum verdict_state)st;
	snprintf(v->reason, sizeof(v->reason), "%s", args);
	return 0;
}

static int cmd_feed(struct driver *d, char *args)
{
	long long since;
	int used = 0;

	if (strcmp(args, "ok") == 0) {
		d->feed.unreachable = false;
	} else if (sscanf(args, "unreachable %lld %n", &since, &used) == 1) {
		d->feed.unreachable = true;
		d->feed.unreachable_since = since;
		snprintf(d->feed.last_error, sizeof(d->feed.last_error), "%s", args + used);
	} else {
		return -1;
	}
	return alert_feed_reachability(&d->fleet, &d->feed, d->now, FEED_ALERT_AFTER, NULL);
}

static int cmd_apple(struct driver *d, char *args)
{
	struct feed_event *event = &d->feed.active[0];
	struct verdict v = {VERDICT_OK, "no event on iCloud Backup"};
	long long since;
	int used = 0;

	d->feed.have_good = true;
	d->feed.n_active = 0;
	if (strcmp(args, "ok") != 0) {
		if (sscanf(args, "%31s %lld %n", event->status_type, &since, &used) != 2)
			return -1;
		snprintf(event->event_status, sizeof(event->event_status), "ongoing");
		snprintf(event->message, sizeof(event->message), "%s", args + used);
		event->start_unix = since;
		d->feed.n_active = 1;
		v.state = VERDICT_FAILING;
		snprintf(v.reason, sizeof(v.reason), "%s on iCloud Backup", event->status_type);
	}
	return alert_icloud_service(&d->fleet, &v, &d->feed, d->now, d->holdoff, NULL);
}

static int cmd_usbmuxd(struct driver *d, char *args)
{
	char word[8];
	int used = 0;

	if (sscanf(args, "%7s %n", word, &used) != 1 ||
	    (strcmp(word, "up") && strcmp(word, "down")))
		return -1;
	return alert_usbmuxd(&d->fleet, strcmp(word, "up") == 0, args + used, NULL);
}

static int cmd_log(char *args)
{
	int priority, used = 0;

	if (sscanf(args, "%d %n", &priority, &used) != 1)
		return -1;
	log_priority(priority, "%s", args + used);
	return 0;
}

/* Returns entries written, or -1 for a line it does not understand. */
static int run_line(struct driver *d, char *line)
{
	char *args = line + strcspn(line, " ");
	struct device_record *rec = &d->devices[d->current];

	if (*args)
		*args++ = '\0';
	if (strcmp(line, "holdoff") == 0)
		d->holdoff = strtoll(args, NULL, 10);
	else if (strcmp(line, "at") == 0)
		d->now = strtoll(args, NULL, 10);
	else if (strcmp(line, "device") == 0)
		return cmd_device(d, args);
	else if (strcmp(line, "verdict") == 0)
		return cmd_verdict(d, args);
	else if (strcmp(line, "eval") == 0 && d->n_devices)
		return alert_device_verdicts(rec, d->verdicts[d->current], d->now, d->holdoff,
		                             NULL);
	else if (strcmp(line, "attach") == 0 && d->n_devices)
		alert_device_attached(rec, NULL);
	else if (strcmp(line, "detach") == 0 && d->n_devices)
		alert_device_detached(rec, NULL);
	else if (strcmp(line, "usbmuxd") == 0)
		return cmd_usbmuxd(d, args);
	else if (strcmp(line, "feed") == 0)
		return cmd_feed(d, args);
	else if (strcmp(line, "apple") == 0)
		return cmd_apple(d, args);
	else if (strcmp(line, "log") == 0)
		return cmd_log(args);
	else
		return -1;
	return 0;
}

int main(void)
{
	static struct driver driver = {.holdoff = 3600};
	char line[1024];
	int line_no = 0;

	while (fgets(line, sizeof(line), stdin)) {
		int written;
		line_no++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		written = run_line(&driver, line);
		if (written < 0) {
			fprintf(stdout, "line %d: cannot run: %s\n", line_no, line);
			return 2;
		}
		printf("line %d: %d entries\n", line_no, written);
	}
	return 0;
}
