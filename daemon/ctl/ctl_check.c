/* SPDX-License-Identifier: ISC */
/* backupctl check: a Nagios/Icinga plugin (Monitoring Plugins guidelines). One line of text,
 * performance data after "|", and the plugin exit status: 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN (backupd unreachable, a protocol error, a usage error). The thresholds count
 * the devices that are not ready, readiness unknown included: -w N warns when more than N
 * are, -w N% when more than N percent of the devices shown are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define NAMES_SHOWN 3 /* devices named in the line; the rest are counted */

struct check_counts {
	long long devices, ready, not_ready, unknown, unreachable;
};

int ctl_threshold_parse(const char *text, struct ctl_threshold *threshold)
{
	char *end;
	errno = 0;
	long long value = strtoll(text, &end, 10);
	bool percent = *end == '%';
	if (end == text || errno != 0 || value < 0 || (percent && value > 100) ||
	    end[percent ? 1 : 0] != '\0')
		return -1;
	*threshold = (struct ctl_threshold){.set = true, .percent = percent, .value = value};
	return 0;
}

static bool exceeded(const struct ctl_threshold *threshold, long long problems, long long devices)
{
	if (!threshold->set)
		return false;
	if (threshold->percent)
		return problems * 100 > threshold->value * devices;
	return problems > threshold->value;
}

static bool has_blocker(const json_t *device, const char *name)
{
	size_t index;
	const json_t *blocker;
	json_array_foreach(ctl_get(device, "blockers"), index,
	                   blocker) if (strcmp(json_string_value(blocker), name) == 0) return true;
	return false;
}

static struct check_counts count_devices(const json_t *devices)
{
	struct check_counts counts = {.devices = (long long)json_array_size(devices)};
	size_t index;
	const json_t *device;
	json_array_foreach(devices, index, device)
	{
		enum ctl_readiness readiness = ctl_device_readiness(device);
		counts.ready += readiness == CTL_READY;
		counts.not_ready += readiness == CTL_NOT_READY;
		counts.unknown += readiness == CTL_UNKNOWN;
		counts.unreachable += has_blocker(device, "unreachable");
	}
	return counts;
}

/* ": Ward 3 (backup-off,power), Loaner (unreachable) and 2 more" */
static void describe_problems(const json_t *devices, char *text, size_t size)
{
	size_t used = 0, named = 0, index;
	const json_t *device;
	text[0] = '\0';
	json_array_foreach(devices, index, device)
	{
		if (ctl_device_readiness(device) == CTL_READY || used >= size)
			continue;
		if (named++ == NAMES_SHOWN)
			break;
		const char *name = json_string_value(ctl_get(device, "name"));
		if (name == NULL || name[0] == '\0')
			name = json_string_value(ctl_get(device, "udid"));
		char blockers[256] = "";
		size_t b;
		const json_t *blocker;
		json_array_foreach(ctl_get(device, "blockers"), b, blocker)
		    snprintf(blockers + strlen(blockers), sizeof(blockers) - strlen(blockers),
		             "%s%s", b ? "," : "", json_string_value(blocker));
		used += (size_t)snprintf(
		    text + used, size - used, "%s%s (%s)", named == 1 ? ": " : ", ",
		    name ? name : "?",
		    blockers[0] ? blockers : ctl_readiness_name(ctl_device_readiness(device)));
	}
}

static void threshold_text(const struct ctl_threshold *threshold, char *text, size_t size)
{
	text[0] = '\0';
	if (threshold->set && !threshold->percent)
		snprintf(text, size, "%lld", threshold->value);
}

/* Probe helpers that cannot start leave every phone unread: CRITICAL whatever the counts. */
static bool helpers_failing(const json_t *reply, const char **reason)
{
	const json_t *helpers = json_object_get(reply, "probe_helpers");
	*reason = json_string_value(json_object_get(helpers, "reason"));
	return json_is_true(json_object_get(helpers, "failing"));
}

static int report(const struct ctl_options *options, const json_t *reply)
{
	static const char *const labels[] = {"OK", "WARNING", "CRITICAL"};
	const json_t *devices = json_object_get(reply, "devices");
	struct check_counts counts = count_devices(devices);
	long long problems = counts.not_ready + counts.unknown;
	const char *helpers_reason;
	bool helpers_down = helpers_failing(reply, &helpers_reason);
	int status = helpers_down || exceeded(&options->critical, problems, counts.devices) ? 2
	             : exceeded(&options->warning, problems, counts.devices)                ? 1
	                                                                                    : 0;
	char names[1024], warn[32], crit[32];
	describe_problems(devices, names, sizeof(names));
	threshold_text(&options->warning, warn, sizeof(warn));
	threshold_text(&options->critical, crit, sizeof(crit));
	if (helpers_down)
		printf("BACKUPD CRITICAL - probe helpers cannot start (%s), no phone can be read;",
		       helpers_reason ? helpers_reason : "?");
	if (problems == 0)
		printf("%s%lld of %lld devices ready", helpers_down ? " " : "BACKUPD OK - ",
		       counts.ready, counts.devices);
	else if (helpers_down)
		printf(" %lld of %lld devices not ready%s", problems, counts.devices, names);
	else
		printf("BACKUPD %s - %lld of %lld devices not ready%s", labels[status], problems,
		       counts.devices, names);
	if ((long long)NAMES_SHOWN < problems)
		printf(" and %lld more", problems - NAMES_SHOWN);
	printf(" | ready=%lld;;;0;%lld not_ready=%lld;%s;%s;0;%lld unknown=%lld;;;0;%lld "
	       "unreachable=%lld;;;0;%lld\n",
	       counts.ready, counts.devices, counts.not_ready, warn, crit, counts.devices,
	       counts.unknown, counts.devices, counts.unreachable, counts.devices);
	return status;
}

int ctl_verb_check(const struct ctl_options *options, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int exit_code;
	json_t *reply = ctl_call(options, ctl_request("status", 0, NULL), &exit_code);
	if (reply == NULL) {
		printf("BACKUPD UNKNOWN - no answer from backupd at %s\n", options->socket_path);
		return CTL_CHECK_UNKNOWN;
	}
	ctl_filter_reply(options, reply);
	int status = report(options, reply);
	json_decref(reply);
	return status;
}
