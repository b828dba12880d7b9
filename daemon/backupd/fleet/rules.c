/* SPDX-License-Identifier: ISC */
/* The rules: one row per precondition, each a pure function from what is known (facts, feed,
 * limits, now) to ok / failing / unknown and a reason a person can read. No I/O, no clock. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "humanize.h"
#include "rules.h"
#include "version_text.h"

/* A backup date this far in the future is still believed (phone and host clocks drift). */
#define BACKUP_DATE_SKEW_S 600

struct rule_input {
	const struct device_facts *facts;
	const struct feed_state *feed;
	const struct ios_rule_input *ios;
	const struct rule_limits *limits;
	int64_t now;
};

/* Cuts a truncated reason at a UTF-8 character boundary and marks it with "...". */
static void mark_truncated(char *reason, size_t size)
{
	size_t end = size - 4;

	while (end > 0 && ((unsigned char)reason[end] & 0xC0) == 0x80)
		end--;
	memcpy(reason + end, "...", 4);
}

__attribute__((format(printf, 3, 4))) static void
set_verdict(struct verdict *out, enum verdict_state state, const char *fmt, ...)
{
	va_list args;
	int written;

	out->state = state;
	va_start(args, fmt);
	written = vsnprintf(out->reason, sizeof(out->reason), fmt, args);
	va_end(args);
	if (written >= (int)sizeof(out->reason))
		mark_truncated(out->reason, sizeof(out->reason));
}

/* ---- reachable ---------------------------------------------------------------------- */

struct probe_status_text {
	const char *short_text; /* after "device not readable: " */
	const char *reason;     /* the reachable verdict's reason */
	bool with_error;        /* append facts->error */
};

static const struct probe_status_text probe_texts[PROBE_STATUS_COUNT] = {
    [PROBE_NOT_YET] = {"not probed yet", "not probed yet", false},
    [PROBE_OK] = {"", "read over USB", false},
    [PROBE_NOT_PAIRED] = {"not paired", "not paired with this computer: unlock it and tap Trust",
                          false},
    [PROBE_TRUST_PENDING] = {"trust pending",
                             "trust pending: \"Trust this computer?\" is waiting on the screen",
                             false},
    [PROBE_PAIRING_DENIED] = {"pairing denied",
                              "pairing denied: \"Don't Trust\" was tapped; reconnect the cable "
                              "and tap Trust",
                              false},
    [PROBE_LOCKED_SINCE_BOOT] = {"locked since restart",
                                 "locked since restart: unlock it once with the passcode", false},
    [PROBE_UNRESPONSIVE] = {"unresponsive", "unresponsive", true},
    [PROBE_VANISHED] = {"disconnected", "disconnected during the probe", false},
    [PROBE_PROTOCOL_ERROR] = {"protocol error", "protocol error", true},
};

const char *rules_probe_status_short(enum probe_status status)
{
	if ((unsigned)status >= PROBE_STATUS_COUNT)
		return "invalid probe status";
	return probe_texts[status].short_text;
}

static void eval_reachable(const struct rule_input *in, struct verdict *out)
{
	enum probe_status status = in->facts->status;
	const struct probe_status_text *text;

	if ((unsigned)status >= PROBE_STATUS_COUNT) {
		set_verdict(out, VERDICT_UNKNOWN, "invalid probe status %d", (int)status);
		return;
	}
	text = &probe_texts[status];
	if (status == PROBE_OK)
		set_verdict(out, VERDICT_OK, "%s", text->reason);
	else if (status == PROBE_NOT_YET)
		set_verdict(out, VERDICT_UNKNOWN, "%s", text->reason);
	else if (text->with_error && in->facts->error[0] != '\0')
		set_verdict(out, VERDICT_FAILING, "%s: %s", text->reason, in->facts->error);
	else
		set_verdict(out, VERDICT_FAILING, "%s", text->reason);
}

/* ---- device preconditions (only judged when reachable) ------------------------------- */

/* One tri-state fact read straight into a verdict. */
static void tristate_verdict(enum tristate value, struct verdict *out, const char *yes,
                             const char *no, const char *unknown)
{
	if (value == TRI_YES)
		set_verdict(out, VERDICT_OK, "%s", yes);
	else if (value == TRI_NO)
		set_verdict(out, VERDICT_FAILING, "%s", no);
	else
		set_verdict(out, VERDICT_UNKNOWN, "%s", unknown);
}

static void eval_backup_enabled(const struct rule_input *in, struct verdict *out)
{
	tristate_verdict(in->facts->backup_enabled, out, "iCloud Backup is on",
	                 "iCloud Backup is switched off", "iCloud Backup setting not readable");
}

static void eval_locked(const struct rule_input *in, struct verdict *out)
{
	tristate_verdict(in->facts->password_protected, out, "screen locked",
	                 "screen unlocked: backup waits for the screen to lock",
	                 "lock state not readable");
}

/* " (battery 80%)" or "" when the level is unknown. */
static const char *battery_suffix(const struct device_facts *facts, char *buf, size_t size)
{
	buf[0] = '\0';
	if (facts->battery_percent >= 0 && facts->battery_percent <= 100)
		snprintf(buf, size, " (battery %d%%)", facts->battery_percent);
	return buf;
}

/* iOS's Optimised Battery Charging holds a phone on power at 80% (not charging, not full):
 * only below that does "not charging" point at a cable or port that cannot charge. */
#define OPTIMISED_CHARGING_HOLD_PERCENT 80

static void eval_power(const struct rule_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	char battery[24];

	battery_suffix(facts, battery, sizeof(battery));
	/* A battery that charges is on power, whatever ExternalConnected says or omits. */
	if (facts->battery_charging == TRI_YES)
		set_verdict(out, VERDICT_OK, "on power, charging%s", battery);
	else if (facts->external_connected == TRI_UNKNOWN)
		set_verdict(out, VERDICT_UNKNOWN, "power state not readable%s", battery);
	else if (facts->external_connected == TRI_NO)
		set_verdict(out, VERDICT_FAILING, "not on power%s", battery);
	else if (facts->fully_charged == TRI_YES)
		set_verdict(out, VERDICT_OK, "on power, fully charged%s", battery);
	else if (facts->battery_charging == TRI_NO && facts->fully_charged == TRI_NO &&
	         facts->battery_percent >= OPTIMISED_CHARGING_HOLD_PERCENT)
		set_verdict(out, VERDICT_OK,
		            "on power, charging paused%s (Optimised Battery Charging "
		            "holds at 80%%)",
		            battery);
	else if (facts->battery_charging == TRI_NO && facts->fully_charged == TRI_NO)
		set_verdict(out, VERDICT_FAILING,
		            "on power but not charging: the cable, port or adapter cannot charge "
		            "it%s",
		            battery);
	else
		set_verdict(out, VERDICT_UNKNOWN, "on power, charging state not readable%s",
		            battery);
}

static void eval_wifi(const struct rule_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;

	if (facts->wifi_associated == TRI_YES && facts->wifi_ssid[0] != '\0')
		set_verdict(out, VERDICT_OK, "on Wi-Fi \"%s\"", facts->wifi_ssid);
	else
		tristate_verdict(facts->wifi_associated, out, "on Wi-Fi", "not on Wi-Fi",
		                 "Wi-Fi state not readable");
}

static void eval_icloud_storage(const struct rule_input *in, struct verdict *out)
{
	int64_t capacity = in->facts->total_data_capacity;
	int64_t available = in->facts->total_data_available;
	int64_t quota = in->limits->icloud_quota_bytes;
	char used_text[32], quota_text[32];
	int64_t used;

	if (capacity < 0 || available < 0 || available > capacity) {
		set_verdict(out, VERDICT_UNKNOWN, "estimate: device storage not readable");
		return;
	}
	used = capacity - available;
	humanize_gb(used, used_text, sizeof(used_text));
	humanize_gb(quota, quota_text, sizeof(quota_text));
	if (used > quota)
		set_verdict(out, VERDICT_FAILING,
		            "estimate: %s of data on the phone, more than the %s iCloud quota",
		            used_text, quota_text);
	else
		set_verdict(out, VERDICT_OK, "estimate: %s of data fits the %s iCloud quota",
		            used_text, quota_text);
}

/* The catalog's word on a phone whose version passed MinimumIOS (ios_update.h). */
static void ios_catalog_verdict(const struct rule_input *in, const struct ios_version *installed,
                                struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	const struct ios_rule_input *ios = in->ios;
	struct ios_update judged;
	const struct ios_update *u = ios->update;
	char when[32], exploited[64] = "";
	int64_t waited, days;
	bool overdue;

	if (!u) {
		ios_update_judge(ios->catalog, facts->product_type, installed, ios->newest_major,
		                 &judged);
		u = &judged;
	}
	switch (u->state) {
	case IOS_UPDATE_NONE:
	case IOS_UPDATE_NOT_LISTED:
		set_verdict(out, VERDICT_OK,
		            "iOS %s: %s is not in the iOS catalog; not judged by it",
		            facts->product_version, facts->product_type);
		return;
	case IOS_UPDATE_ENDED:
		set_verdict(out, VERDICT_FAILING,
		            "iOS %s: no release in the iOS catalog supports %s any more; it no "
		            "longer receives iOS updates",
		            facts->product_version, facts->product_type);
		return;
	case IOS_UPDATE_CURRENT: {
		struct ios_version latest;
		if (ios_version_parse(u->latest, &latest) == 0 &&
		    ios_version_cmp(&latest, installed) > 0)
			set_verdict(out, VERDICT_OK,
			            "iOS %s is current in its train (%s available)",
			            facts->product_version, u->latest);
		else
			set_verdict(out, VERDICT_OK, "iOS %s is current", facts->product_version);
		return;
	}
	default:
		break;
	}
	waited = in->now - u->behind_since_unix;
	days = waited > 0 ? waited / 86400 : 0;
	overdue =
	    waited >= ios->update_grace_s ||
	    (u->n_exploited > 0 && in->now - u->exploited_since_unix >= ios->exploited_grace_s);
	if (u->n_exploited > 0)
		snprintf(exploited, sizeof(exploited), ", fixes %d actively exploited CVE%s",
		         u->n_exploited, u->n_exploited == 1 ? "" : "s");
	humanize_date(u->behind_since_unix, when, sizeof(when));
	set_verdict(out, overdue ? VERDICT_FAILING : VERDICT_OK,
	            "iOS %s: update to %s (behind since %s, %lld day%s)%s", facts->product_version,
	            u->target, when, (long long)days, days == 1 ? "" : "s", exploited);
}

static void eval_ios_current(const struct rule_input *in, struct verdict *out)
{
	const char *version = in->facts->product_version;
	const char *minimum = in->limits->minimum_ios;
	bool have_catalog = in->ios && in->ios->catalog;
	struct ios_version installed;

	if (minimum[0] == '\0' && !have_catalog)
		set_verdict(out, VERDICT_OK, "not checked (no iOS catalog; MinimumIOS unset)");
	else if (version[0] == '\0')
		set_verdict(out, VERDICT_UNKNOWN, "iOS version not readable");
	else if (!version_text_valid(version) || ios_version_parse(version, &installed) < 0)
		set_verdict(out, VERDICT_UNKNOWN, "iOS version \"%s\" not understood", version);
	else if (minimum[0] != '\0' && rules_compare_versions(version, minimum) < 0)
		set_verdict(out, VERDICT_FAILING, "iOS %s is older than the required %s", version,
		            minimum);
	else if (have_catalog)
		ios_catalog_verdict(in, &installed, out);
	else
		set_verdict(out, VERDICT_OK, "iOS %s (minimum %s)", version, minimum);
}

static void eval_backup_recent(const struct rule_input *in, struct verdict *out)
{
	const struct device_facts *facts = in->facts;
	int64_t limit = in->limits->max_backup_age_s;
	char age_text[32], limit_text[32];
	int64_t age;

	if (!facts->has_last_backup) {
		if (facts->last_backup_unreadable)
			set_verdict(out, VERDICT_UNKNOWN, "last backup date not readable");
		else
			set_verdict(out, VERDICT_FAILING, "never backed up");
		return;
	}
	/* Bounded: a date from a file or a device must not overflow the subtraction. */
	if (facts->last_backup_unix < FACTS_DATE_MIN_UNIX ||
	    facts->last_backup_unix > FACTS_DATE_MAX_UNIX ||
	    __builtin_sub_overflow(in->now, facts->last_backup_unix, &age)) {
		set_verdict(out, VERDICT_UNKNOWN, "last backup date not understood");
		return;
	}
	if (age < -BACKUP_DATE_SKEW_S) {
		set_verdict(out, VERDICT_UNKNOWN,
		            "last backup date is in the future: check the phone's clock");
		return;
	}
	humanize_duration(age, age_text, sizeof(age_text));
	humanize_duration(limit, limit_text, sizeof(limit_text));
	if (age > limit)
		set_verdict(out, VERDICT_FAILING, "last backup %s ago (limit %s)", age_text,
		            limit_text);
	else
		set_verdict(out, VERDICT_OK, "last backup %s ago", age_text);
}

/* ---- fleet-wide ---------------------------------------------------------------------- */

static void active_event_verdict(const struct feed_event *event, int n_active, struct verdict *out)
{
	char since[48] = "";
	char more[24] = "";

	if (event->start_unix > 0) {
		char when[32];
		snprintf(since, sizeof(since), " since %s",
		         humanize_utc(event->start_unix, when, sizeof(when)));
	}
	if (n_active > 1)
		snprintf(more, sizeof(more), " (+%d more)", n_active - 1);
	set_verdict(out, VERDICT_FAILING, "Apple reports %s on iCloud Backup%s%s: %s",
	            event->status_type[0] != '\0' ? event->status_type : "an event", since, more,
	            event->message);
}

void rules_icloud_service(const struct feed_state *feed, int64_t now_unix, struct verdict *out)
{
	char when[32];

	(void)now_unix; /* the reason names absolute times, so it does not change every second */
	if (feed == NULL || !feed->have_good)
		set_verdict(out, VERDICT_UNKNOWN, "no Apple status yet");
	else if (feed->n_active > 0)
		active_event_verdict(&feed->active[0], feed->n_active, out);
	else if (feed->unreachable)
		set_verdict(out, VERDICT_OK,
		            "operational (status feed unreachable since %s; last known state)",
		            humanize_utc(feed->unreachable_since, when, sizeof(when)));
	else
		set_verdict(out, VERDICT_OK, "operational");
}

static void eval_icloud_service(const struct rule_input *in, struct verdict *out)
{
	rules_icloud_service(in->feed, in->now, out);
}

/* ---- the table ----------------------------------------------------------------------- */

enum rule_scope {
	SCOPE_PROBE,      /* judges the probe itself */
	SCOPE_DEVICE,     /* needs a readable device */
	SCOPE_REMEMBERED, /* may use a remembered fact when the device is unreadable */
	SCOPE_FLEET,      /* does not depend on the device */
};

struct rule_row {
	enum precondition_id id;
	enum rule_scope scope;
	void (*evaluate)(const struct rule_input *in, struct verdict *out);
};

static const struct rule_row rule_table[PRECOND_COUNT] = {
    {PRECOND_REACHABLE, SCOPE_PROBE, eval_reachable},
    {PRECOND_BACKUP_ENABLED, SCOPE_DEVICE, eval_backup_enabled},
    {PRECOND_LOCKED, SCOPE_DEVICE, eval_locked},
    {PRECOND_POWER, SCOPE_DEVICE, eval_power},
    {PRECOND_WIFI, SCOPE_DEVICE, eval_wifi},
    {PRECOND_ICLOUD_STORAGE, SCOPE_DEVICE, eval_icloud_storage},
    {PRECOND_IOS_CURRENT, SCOPE_DEVICE, eval_ios_current},
    {PRECOND_BACKUP_RECENT, SCOPE_REMEMBERED, eval_backup_recent},
    {PRECOND_ICLOUD_SERVICE, SCOPE_FLEET, eval_icloud_service},
};

static bool rule_can_judge(const struct rule_row *row, const struct device_facts *facts)
{
	if (facts->status == PROBE_OK)
		return true;
	switch (row->scope) {
	case SCOPE_PROBE:
	case SCOPE_FLEET:
		return true;
	case SCOPE_REMEMBERED:
		return facts->has_last_backup;
	case SCOPE_DEVICE:
		break;
	}
	return false;
}

void rules_evaluate(const struct device_facts *facts, const struct feed_state *feed,
                    const struct ios_rule_input *ios, const struct rule_limits *limits,
                    int64_t now_unix, struct verdict out[PRECOND_COUNT])
{
	const struct rule_input in = {facts, feed, ios, limits, now_unix};

	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct rule_row *row = &rule_table[i];
		struct verdict *verdict = &out[row->id];

		if (rule_can_judge(row, facts))
			row->evaluate(&in, verdict);
		else
			set_verdict(verdict, VERDICT_UNKNOWN, "device not readable: %s",
			            rules_probe_status_short(facts->status));
	}
}

/* ---- versions ------------------------------------------------------------------------ */

/* Reads the next numeric component and steps past its '.'; 0 once the text has ended. */
static unsigned long long next_component(const char **text)
{
	unsigned long long value = 0;

	while (**text >= '0' && **text <= '9' && value < 1000000000000ULL)
		value = value * 10 + (unsigned)(*(*text)++ - '0');
	while (**text != '\0' && **text != '.')
		(*text)++;
	if (**text == '.')
		(*text)++;
	return value;
}

int rules_compare_versions(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		unsigned long long left = next_component(&a);
		unsigned long long right = next_component(&b);

		if (left != right)
			return left < right ? -1 : 1;
	}
	return 0;
}
