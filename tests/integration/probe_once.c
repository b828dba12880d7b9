/* SPDX-License-Identifier: ISC */
/* Developer and test tool: probe_once UDID [--timeout MS] [--repeat N] [--interval MS]
 * [--step]. --interval MS waits between probes (to act on the device in between); --step
 * waits for a line on standard input instead, so a test acts at a known point, not after a
 * guessed time.
 * Runs probe_run in-process N times on one cache and prints each result as one JSON line, so
 * the 2nd..Nth lines show what a warm (reused) session costs. Exit 0 when the last probe
 * was PROBE_OK, 2 otherwise, 64 on bad usage. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe.h"

static const char *tristate_name(enum tristate value)
{
	return value == TRI_YES ? "yes" : value == TRI_NO ? "no" : "unknown";
}

static json_t *facts_json(const struct device_facts *f, int round)
{
	json_t *o = json_object();
	json_object_set_new(o, "round", json_integer(round));
	json_object_set_new(o, "udid", json_string(f->udid));
	json_object_set_new(o, "status", json_string(probe_status_name(f->status)));
	json_object_set_new(o, "error", json_string(f->error));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "product_type", json_string(f->product_type));
	json_object_set_new(o, "product_version", json_string(f->product_version));
	json_object_set_new(o, "build_version", json_string(f->build_version));
	json_object_set_new(o, "serial", json_string(f->serial));
	json_object_set_new(o, "password_protected",
	                    json_string(tristate_name(f->password_protected)));
	json_object_set_new(o, "backup_enabled", json_string(tristate_name(f->backup_enabled)));
	json_object_set_new(o, "last_backup_unix",
	                    f->has_last_backup ? json_integer(f->last_backup_unix) : json_null());
	json_object_set_new(o, "external_connected",
	                    json_string(tristate_name(f->external_connected)));
	json_object_set_new(o, "battery_charging", json_string(tristate_name(f->battery_charging)));
	json_object_set_new(o, "fully_charged", json_string(tristate_name(f->fully_charged)));
	json_object_set_new(o, "battery_percent", json_integer(f->battery_percent));
	json_object_set_new(o, "wifi_associated", json_string(tristate_name(f->wifi_associated)));
	json_object_set_new(o, "wifi_ssid", json_string(f->wifi_ssid));
	json_object_set_new(o, "total_data_capacity", json_integer(f->total_data_capacity));
	json_object_set_new(o, "total_data_available", json_integer(f->total_data_available));
	json_object_set_new(o, "probed_at_unix", json_integer(f->probed_at_unix));
	json_object_set_new(o, "probe_ms", json_integer(f->probe_ms));
	return o;
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: probe_once UDID [--timeout MS] [--repeat N] [--interval MS] [--step]\n");
	return 64;
}

/* --step: the next round starts when a line arrives. False at end of input, so a test that
 * gave up does not leave the tool probing. */
static bool wait_for_line(void)
{
	char line[64];
	return fgets(line, sizeof(line), stdin) != NULL;
}

static bool parse_number(const char *text, unsigned long min, unsigned long max,
                         unsigned long *value)
{
	char *end = NULL;
	unsigned long parsed = strtoul(text, &end, 10);
	if (!*text || *end || parsed < min || parsed > max)
		return false;
	*value = parsed;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long timeout_ms = 10000, repeat = 1, interval_ms = 0;
	bool step = false;
	if (argc < 2 || argv[1][0] == '-' || strlen(argv[1]) >= UDID_MAX)
		return usage();
	for (int i = 2; i < argc; i++) {
		bool ok = i + 1 < argc;
		if (strcmp(argv[i], "--step") == 0)
			ok = step = true;
		else if (ok && strcmp(argv[i], "--timeout") == 0)
			ok = parse_number(argv[++i], 1, 600000, &timeout_ms);
		else if (ok && strcmp(argv[i], "--repeat") == 0)
			ok = parse_number(argv[++i], 1, 1000, &repeat);
		else if (ok && strcmp(argv[i], "--interval") == 0)
			ok = parse_number(argv[++i], 0, 600000, &interval_ms);
		else
			ok = false;
		if (!ok)
			return usage();
	}
	signal(SIGPIPE, SIG_IGN);
	struct probe_cache *cache = probe_cache_new(4);
	if (!cache)
		return 1;
	struct device_facts facts;
	for (unsigned long round = 1; round <= repeat; round++) {
		if (round > 1 && step && !wait_for_line())
			break;
		if (round > 1 && interval_ms > 0)
			nanosleep(
			    &(struct timespec){.tv_sec = (time_t)(interval_ms / 1000),
			                       .tv_nsec = (long)(interval_ms % 1000) * 1000000L},
			    NULL);
		probe_run(cache, argv[1], (unsigned)timeout_ms, 0, &facts);
		json_t *o = facts_json(&facts, (int)round);
		char *line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", line ? line : "{}");
		fflush(stdout);
		free(line);
		json_decref(o);
	}
	probe_cache_free(cache);
	return facts.status == PROBE_OK ? 0 : 2;
}
