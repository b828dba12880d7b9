/* SPDX-License-Identifier: ISC */
/* The key table of backupd.conf: section, name, value type, range, destination and default
 * of every key but the rule limits, which the precondition table declares (config_limits.c).
 * Adding an option is one row here and one field in config_types.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "action_names.h"
#include "config_keys.h"
#include "config_limits.h"
#include "config_values.h"
#include "daily_window.h"
#include "hook_repeat_words.h"
#include "version_text.h"

#define GROUP_NAME_MAX 32

#define FIELD_OF(type, field) offsetof(type, field), sizeof(((type *)0)->field)
#define CONFIG_FIELD(field)   FIELD_OF(struct backupd_config, field)

static const struct config_key keys[] = {
    {SECTION_PROBE, "PollInterval", KIND_TIMESPAN_MS, CONFIG_FIELD(poll_interval_ms), 10 * MS_PER_S,
     7 * MS_PER_D, 0, false, "5min"},
    {SECTION_PROBE, "ProbeTimeout", KIND_TIMESPAN_MS, CONFIG_FIELD(probe_timeout_ms), 500,
     5 * MS_PER_MIN, 0, false, "10s"},
    {SECTION_PROBE, "Workers", KIND_INT, CONFIG_FIELD(workers), 1, 256, 0, false, "16"},
    {SECTION_RULES, "OnCartHours", KIND_HOURS, CONFIG_FIELD(on_cart_hours), 0, 0, 0, false, NULL},
    {SECTION_ALERTS, "AlertHoldoff", KIND_TIMESPAN_MS, CONFIG_FIELD(alert_holdoff_ms), 0,
     30 * MS_PER_D, 0, false, "1h"},
    {SECTION_ALERTS, "AlertCommand", KIND_PATH, CONFIG_FIELD(alert_command), 0, 0, 0, false, NULL},
    {SECTION_ALERTS, "AlertCommandTimeout", KIND_TIMESPAN_MS,
     CONFIG_FIELD(alert_command_timeout_ms), 100, MS_PER_H, 0, false, "30s"},
    {SECTION_ALERTS, "AlertCommandQueue", KIND_INT, CONFIG_FIELD(alert_command_queue), 1, 100000, 0,
     false, "1000"},
    {SECTION_ALERTS, "AlertCommandJobs", KIND_INT, CONFIG_FIELD(alert_command_jobs), 1, 64, 0,
     false, "4"},
    {
        SECTION_ALERTS,
        "AlertRepeat",
        KIND_CHOICE,
        CONFIG_FIELD(alert_repeat),
        0,
        0,
        0,
        false,
        "once",
    },
    {SECTION_STATUS_FEED, "StatusFeedURL", KIND_URL, CONFIG_FIELD(status_feed_url), 0, 0, 0, true,
     "https://www.apple.com/support/systemstatus/data/system_status_en_US.js"},
    {SECTION_STATUS_FEED, "StatusFeedInterval", KIND_TIMESPAN_MS,
     CONFIG_FIELD(status_feed_interval_ms), 30 * MS_PER_S, MS_PER_D, 0, false, "5min"},
    {SECTION_STATUS_FEED, "UnreachableAlertAfter", KIND_TIMESPAN_MS,
     CONFIG_FIELD(status_feed_alert_after_ms), 0, 30 * MS_PER_D, 0, false, "1h"},
    {SECTION_IOS, "CatalogURL", KIND_URL, CONFIG_FIELD(ios_catalog_url), 0, 0, 0, true,
     "https://sofafeed.macadmins.io/v2/ios_data_feed.json"},
    {SECTION_IOS, "CatalogInterval", KIND_TIMESPAN_MS, CONFIG_FIELD(ios_catalog_interval_ms),
     MS_PER_MIN, 7 * MS_PER_D, 0, false, "1h"},
    {SECTION_IOS, "CatalogCA", KIND_PATH, CONFIG_FIELD(ios_catalog_ca), 0, 0, 0, false, NULL},
    {SECTION_IOS, "UpdateGrace", KIND_TIMESPAN_S, CONFIG_FIELD(ios_update_grace_s), 0,
     365 * MS_PER_D, 0, false, "14d"},
    {SECTION_IOS, "ExploitedGrace", KIND_TIMESPAN_S, CONFIG_FIELD(ios_exploited_grace_s), 0,
     365 * MS_PER_D, 0, false, "2d"},
    {SECTION_IOS, "Target", KIND_CHOICE, CONFIG_FIELD(ios_target), 0, 0, 0, false, "train"},
    {SECTION_DAEMON, "StateDirectory", KIND_PATH, CONFIG_FIELD(state_directory), 0, 0, 0, false,
     "/var/lib/backupd"},
    {SECTION_DAEMON, "ControlSocket", KIND_PATH, CONFIG_FIELD(control_socket), 0, 0, 0, false,
     "/run/backupd/control"},
    {SECTION_DAEMON, "ControlGroup", KIND_GROUP, CONFIG_FIELD(control_group), 0, 0, 0, false,
     "backupd"},
    {SECTION_DAEMON, "ForgetAfter", KIND_TIMESPAN_S, CONFIG_FIELD(forget_after_s), MS_PER_MIN,
     3650 * MS_PER_D, 0, false, "28d"},
    {SECTION_DAEMON, "MaxRemembered", KIND_INT, CONFIG_FIELD(max_remembered), 1, 1000000, 0, false,
     "10000"},
    {SECTION_DAEMON, "SysfsRoot", KIND_PATH, CONFIG_FIELD(sysfs_root), 0, 0, 0, false, "/sys"},
    {SECTION_HTTP, "Listen", KIND_LISTEN, CONFIG_FIELD(metrics_listen), 0, 0, 0, true,
     "127.0.0.1:9816"},
    {SECTION_HTTP, "MaxConnections", KIND_INT, CONFIG_FIELD(metrics_max_connections), 1, 256, 0,
     false, "32"},
    {SECTION_HTTP, "RequestTimeout", KIND_TIMESPAN_MS, CONFIG_FIELD(metrics_request_timeout_ms),
     MS_PER_S, 5 * MS_PER_MIN, 0, false, "10s"},
    {SECTION_HTTP, "Columns", KIND_INT, CONFIG_FIELD(http_columns), 0, 16, 0, false, "0"},
    {SECTION_ACTIONS, "Allow", KIND_WORDS, CONFIG_FIELD(actions_allowed), 0, 0, 0, false, NULL},
    {SECTION_ACTIONS, "ActionGroup", KIND_GROUP, CONFIG_FIELD(action_group), 0, 0, 0, false, NULL},
    {SECTION_ACTIONS, "RestartTimeout", KIND_TIMESPAN_MS, CONFIG_FIELD(restart_timeout_ms),
     MS_PER_S, MS_PER_H, 0, false, "3min"},
    {SECTION_ACTIONS, "AutoEnableBackup", KIND_CHOICE, CONFIG_FIELD(auto_enable_backup), 0, 0, 0,
     false, "no"},
    {SECTION_ACTIONS, "AutoRestart", KIND_AUTO_RESTART, CONFIG_FIELD(auto_restart), 0, 0, 0, false,
     NULL},
    {SECTION_ACTIONS, "AutoRestartMax", KIND_INT, CONFIG_FIELD(auto_restart_max), 1, 64, 0, false,
     "2"},
    {SECTION_PAIRING, "SupervisionIdentity", KIND_PATH, CONFIG_FIELD(supervision_identity), 0, 0, 0,
     false, NULL},
    {SECTION_PAIRING, "SupervisionPasswordFile", KIND_PATH, CONFIG_FIELD(supervision_password_file),
     0, 0, 0, false, NULL},
    {SECTION_PAIRING, "AutoPair", KIND_CHOICE, CONFIG_FIELD(auto_pair), 0, 0, 0, false,
     "supervised"},
};

const char *const auto_pair_words[4] = {[AUTO_PAIR_SUPERVISED] = "supervised",
                                        [AUTO_PAIR_TRUST] = "trust",
                                        [AUTO_PAIR_NO] = "no",
                                        [3] = NULL};

const char *const ios_target_words[3] = {
    [IOS_TARGET_TRAIN] = "train", [IOS_TARGET_LATEST] = "latest", [2] = NULL};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* Every section: its name and, for a section that names a thing, what follows the name. */
static const struct section_row {
	const char *name;
	const char *argument; /* NULL: a plain [Name] */
} sections[SECTION_COUNT] = {
    [SECTION_NONE] = {"", NULL},
    [SECTION_PROBE] = {"Probe", NULL},
    [SECTION_RULES] = {"Rules", NULL},
    [SECTION_ALERTS] = {"Alerts", NULL},
    [SECTION_STATUS_FEED] = {"StatusFeed", NULL},
    [SECTION_DAEMON] = {"Daemon", NULL},
    [SECTION_HTTP] = {"HTTP", NULL},
    [SECTION_ACTIONS] = {"Actions", NULL},
    [SECTION_PAIRING] = {"Pairing", NULL},
    [SECTION_IOS] = {"IOS", NULL},
    [SECTION_DEVICE] = {"Device", "UDID"},
    [SECTION_HUB] = {"Hub", "PORTPATH"},
    [SECTION_SLOT] = {"Slot", "PORTPATH"},
};

const char *config_section_name(enum config_section section)
{
	return (unsigned)section < SECTION_COUNT ? sections[section].name : "?";
}

void config_sections_list(char *buf, size_t size)
{
	size_t used = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	for (int i = SECTION_NONE + 1; i < SECTION_COUNT && used < size; i++) {
		const struct section_row *row = &sections[i];
		int n = snprintf(buf + used, size - used, "%s[%s%s%s]",
		                 i == SECTION_NONE + 1    ? ""
		                 : i == SECTION_COUNT - 1 ? " or "
		                                          : ", ",
		                 row->name, row->argument ? " " : "",
		                 row->argument ? row->argument : "");
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

enum config_section config_section_by_name(const char *name)
{
	for (int i = SECTION_NONE + 1; i < SECTION_DEVICE; i++)
		if (strcmp(sections[i].name, name) == 0)
			return (enum config_section)i;
	return SECTION_NONE;
}

bool config_key_find(const char *name, struct config_key *out)
{
	for (size_t i = 0; i < N_KEYS; i++) {
		if (strcmp(keys[i].name, name) == 0) {
			*out = keys[i];
			return true;
		}
	}
	for (size_t i = 0; config_limit_row(i, out); i++)
		if (strcmp(out->name, name) == 0)
			return true;
	return false;
}

enum config_section config_key_section(const struct config_key *key)
{
	return key->section;
}

bool config_key_allowed_in(const struct config_key *key, enum config_section section)
{
	return key->section == section || (section == SECTION_DEVICE && key->limit);
}

void config_keys_of(enum config_section section, char *buf, size_t size)
{
	struct config_key row;
	size_t used = 0;

	buf[0] = '\0';
	if (section == SECTION_RULES || section == SECTION_DEVICE)
		for (size_t i = 0; config_limit_row(i, &row) && used < size; i++)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
			                         row.name);
	for (size_t i = 0; i < N_KEYS && used < size; i++) {
		if (!config_key_allowed_in(&keys[i], section))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
		                         keys[i].name);
	}
}

/* ---- value checks --------------------------------------------------------------------- */

/* A time span in the shortest exact config spelling: "500ms", "10s", "5min", "7d". */
static void format_timespan(int64_t ms, char *buf, size_t size)
{
	static const struct {
		int64_t factor;
		const char *unit;
	} units[] = {{MS_PER_D, "d"}, {MS_PER_H, "h"}, {MS_PER_MIN, "min"}, {MS_PER_S, "s"}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms != 0 && ms % units[i].factor == 0) {
			snprintf(buf, size, "%" PRId64 "%s", ms / units[i].factor, units[i].unit);
			return;
		}
	}
	snprintf(buf, size, "%" PRId64 "%s", ms, ms == 0 ? "" : "ms");
}

static int check_timespan(const struct config_key *key, const char *value, int64_t *ms, char *why,
                          size_t why_size)
{
	char low[24], high[24];

	format_timespan(key->min, low, sizeof(low));
	format_timespan(key->max, high, sizeof(high));
	errno = 0;
	if (config_parse_timespan_ms(value, ms) < 0 && errno != ERANGE) {
		snprintf(why, why_size, "expected a time span such as 30s, 5min or 2h");
		return -1;
	}
	if (errno == ERANGE || *ms < key->min || *ms > key->max) {
		snprintf(why, why_size, "expected a time span from %s to %s", low, high);
		return -1;
	}
	return 0;
}

static int check_int(const struct config_key *key, const char *value, int64_t *number, char *why,
                     size_t why_size)
{
	const char *digit = value;

	*number = 0;
	for (; *digit >= '0' && *digit <= '9' && *number <= key->max; digit++)
		*number = *number * 10 + (*digit - '0');
	if (digit == value || *digit != '\0' || *number < key->min || *number > key->max) {
		snprintf(why, why_size, "expected a whole number from %" PRId64 " to %" PRId64,
		         key->min, key->max);
		return -1;
	}
	return 0;
}

static int check_size(const struct config_key *key, const char *value, int64_t *bytes, char *why,
                      size_t why_size)
{
	if (config_parse_size_bytes(value, bytes) < 0) {
		snprintf(why, why_size, "%sexpected a size such as 5G, 500M or 1T",
		         errno == ERANGE ? "too large: " : "");
		return -1;
	}
	if (*bytes < key->min) {
		snprintf(why, why_size, "expected a size of at least %" PRId64 " byte", key->min);
		return -1;
	}
	return 0;
}

static bool is_printable_ascii(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text <= ' ' || (unsigned char)*text >= 0x7f)
			return false;
	return true;
}

static bool url_valid(const char *url)
{
	const char *host;

	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return false;
	return *host != '\0' && *host != '/' && is_printable_ascii(url);
}

/* Absolute, and without "." or ".." components that would make two spellings of one path. */
static bool path_valid(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *part = path; part != NULL; part = strchr(part + 1, '/')) {
		if (strncmp(part, "/./", 3) == 0 || strcmp(part, "/.") == 0 ||
		    strncmp(part, "/../", 4) == 0 || strcmp(part, "/..") == 0)
			return false;
	}
	return strpbrk(path, "\t\n\r\v\f") == NULL;
}

/* A portable group name (POSIX portable filename characters, not starting with '-'). */
static bool group_valid(const char *name)
{
	size_t length = strlen(name);

	if (length == 0 || length > GROUP_NAME_MAX || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	       length;
}

static int check_text(const struct config_key *key, const char *value, char *why, size_t why_size)
{
	size_t length = strlen(value);

	if (length >= key->size) {
		snprintf(why, why_size, "too long (%zu bytes; at most %zu)", length, key->size - 1);
		return -1;
	}
	switch (key->kind) {
	case KIND_VERSION:
		if (version_text_valid(value))
			return 0;
		snprintf(why, why_size, "expected an iOS version such as 16 or 17.5.1");
		return -1;
	case KIND_URL:
		if (value[0] == '\0' || url_valid(value))
			return 0;
		snprintf(why, why_size,
		         "expected an http:// or https:// URL, or nothing to switch the feed off");
		return -1;
	case KIND_HOURS:
		if (daily_window_parse(value, NULL) == 0)
			return 0;
		snprintf(why, why_size,
		         "expected a daily window of local time such as 18:00-07:00");
		return -1;
	case KIND_AUTO_RESTART:
		if (daily_window_parse_auto_restart(value, NULL) >= 0)
			return 0;
		snprintf(why, why_size,
		         "expected no, or stale and a daily window of local time such as "
		         "stale 02:00-05:00");
		return -1;
	case KIND_PATH:
		if (path_valid(value))
			return 0;
		snprintf(why, why_size, "expected an absolute path such as /var/lib/backupd");
		return -1;
	default:
		if (group_valid(value))
			return 0;
		snprintf(why, why_size, "expected a group name such as backupd");
		return -1;
	}
}

/* ---- storing -------------------------------------------------------------------------- */

/* The words of each KIND_CHOICE key, NULL-terminated, in the order of their stored index. */
static const struct {
	const char *key;
	const char *const *words;
} choice_words[] = {
    {"AlertRepeat", hook_repeat_names},
    {"Allow", action_kind_names},
    {"AutoEnableBackup", action_auto_words},
    {"AutoPair", auto_pair_words},
    {"Target", ios_target_words},
};

static const char *const *choices_of(const struct config_key *key)
{
	static const char *const none[] = {NULL};

	for (size_t i = 0; i < sizeof(choice_words) / sizeof(choice_words[0]); i++)
		if (strcmp(choice_words[i].key, key->name) == 0)
			return choice_words[i].words;
	return none;
}

static int check_choice(const struct config_key *key, const char *value, int *index, char *why,
                        size_t why_size)
{
	const char *const *words = choices_of(key);
	size_t used = (size_t)snprintf(why, why_size, "expected one of:");

	for (int i = 0; words[i]; i++) {
		if (strcmp(value, words[i]) == 0) {
			*index = i;
			return 0;
		}
		if (used < why_size)
			used += (size_t)snprintf(why + used, why_size - used, "%s %s", i ? "," : "",
			                         words[i]);
	}
	return -1;
}

/* Space-separated words of the key's choices, each at most once. */
static int check_words(const struct config_key *key, const char *value, unsigned *bits, char *why,
                       size_t why_size)
{
	char copy[256];
	unsigned seen = 0;
	if (strlen(value) >= sizeof(copy)) {
		snprintf(why, why_size, "too long");
		return -1;
	}
	strcpy(copy, value);
	for (char *save = NULL, *word = strtok_r(copy, " \t", &save); word;
	     word = strtok_r(NULL, " \t", &save)) {
		int index;
		if (check_choice(key, word, &index, why, why_size) < 0)
			return -1;
		seen |= 1u << index;
	}
	*bits = seen;
	return 0;
}

int config_key_store(const struct config_key *key, const char *value, void *field, char *why,
                     size_t why_size)
{
	int64_t number;

	switch (key->kind) {
	case KIND_TIMESPAN_MS:
	case KIND_TIMESPAN_S:
		if (check_timespan(key, value, &number, why, why_size) < 0)
			return -1;
		*(int64_t *)field = key->kind == KIND_TIMESPAN_S ? number / MS_PER_S : number;
		return 0;
	case KIND_INT:
		if (check_int(key, value, &number, why, why_size) < 0)
			return -1;
		*(int *)field = (int)number;
		return 0;
	case KIND_SIZE:
		if (check_size(key, value, &number, why, why_size) < 0)
			return -1;
		*(int64_t *)field = number;
		return 0;
	case KIND_CHOICE:
		return check_choice(key, value, (int *)field, why, why_size);
	case KIND_LISTEN:
		return config_parse_listen(value, field, why, why_size);
	case KIND_WORDS:
		return check_words(key, value, (unsigned *)field, why, why_size);
	default:
		if (check_text(key, value, why, why_size) < 0)
			return -1;
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
}

/* The default as if an admin had written it: one parser for both, so a default cannot hold
 * what the key would refuse. */
void config_key_store_default(const struct config_key *key, char *base)
{
	char why[128];
	if (key->default_value == NULL ||
	    config_key_store(key, key->default_value, base + key->offset, why, sizeof(why)) < 0)
		memset(base + key->offset, 0, key->size);
}

void config_defaults(struct backupd_config *config)
{
	struct config_key row;

	memset(config, 0, sizeof(*config));
	for (size_t i = 0; i < N_KEYS; i++)
		config_key_store_default(&keys[i], (char *)config);
	for (size_t i = 0; config_limit_row(i, &row); i++)
		config_key_store_default(&row, (char *)&config->limits);
}

/* Whether device gives the rule limit key: the flag beside the value key->offset names. */
static bool *limit_set(struct device_override *device, const struct config_key *key)
{
	size_t index =
	    (key->offset - offsetof(struct rule_limits, value)) / sizeof(union limit_value);
	return &device->set[index / PRECOND_KEYS_MAX][index % PRECOND_KEYS_MAX];
}

int config_key_apply(const struct config_key *key, const char *value, struct backupd_config *config,
                     struct device_override *device, char *why, size_t why_size)
{
	char *base = (char *)config;
	if (key->limit)
		base = (char *)(device != NULL ? &device->limits : &config->limits);
	if (value[0] == '\0' && !key->empty_is_value) {
		/* Empty: the key's default; in a [Device] section the fleet-wide value applies. */
		config_key_store_default(key, base);
		if (device != NULL && key->limit)
			*limit_set(device, key) = false;
		return 0;
	}
	if (config_key_store(key, value, base + key->offset, why, why_size) < 0)
		return -1;
	if (device != NULL && key->limit)
		*limit_set(device, key) = true;
	return 0;
}
