/* SPDX-License-Identifier: ISC */
/* The --state filter: which devices a status-like reply shows. */
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	unsigned bit;
} state_names[] = {
    {"ready", CTL_STATE_READY},       {"not-ready", CTL_STATE_NOT_READY},
    {"unknown", CTL_STATE_UNKNOWN},   {"attached", CTL_STATE_ATTACHED},
    {"detached", CTL_STATE_DETACHED},
};
enum { N_STATE_NAMES = sizeof(state_names) / sizeof(state_names[0]) };

int ctl_states_parse(const char *text, unsigned *states)
{
	*states = 0;
	const char *start = text;
	for (;;) {
		size_t length = strcspn(start, ",");
		unsigned bit = 0;
		for (int i = 0; i < N_STATE_NAMES && bit == 0; i++)
			if (strlen(state_names[i].name) == length &&
			    strncmp(state_names[i].name, start, length) == 0)
				bit = state_names[i].bit;
		if (bit == 0)
			return -1;
		*states |= bit;
		if (start[length] == '\0')
			return 0;
		start += length + 1;
	}
}

static unsigned device_states(const json_t *device)
{
	static const unsigned readiness_bits[] = {
	    [CTL_READY] = CTL_STATE_READY,
	    [CTL_NOT_READY] = CTL_STATE_NOT_READY,
	    [CTL_UNKNOWN] = CTL_STATE_UNKNOWN,
	};
	bool attached = json_is_true(ctl_get(device, "attached"));
	return readiness_bits[ctl_device_readiness(device)] |
	       (attached ? CTL_STATE_ATTACHED : CTL_STATE_DETACHED);
}

/* The summary of the devices left, so the summary line and the exit code describe them. */
static void recount_summary(json_t *reply, const json_t *devices)
{
	json_t *summary = json_object_get(reply, "summary");
	long long counts[3] = {0}, attached = 0;
	size_t index;
	const json_t *device;
	json_array_foreach(devices, index, device)
	{
		counts[ctl_device_readiness(device)]++;
		attached += json_is_true(ctl_get(device, "attached"));
	}
	json_object_set_new(summary, "devices", json_integer((json_int_t)json_array_size(devices)));
	json_object_set_new(summary, "attached", json_integer(attached));
	json_object_set_new(summary, "ready", json_integer(counts[CTL_READY]));
	json_object_set_new(summary, "not_ready", json_integer(counts[CTL_NOT_READY]));
	json_object_set_new(summary, "unknown", json_integer(counts[CTL_UNKNOWN]));
}

void ctl_filter_reply(const struct ctl_options *options, json_t *reply)
{
	if (options->states == 0 || !json_is_object(json_object_get(reply, "summary")))
		return;
	json_t *kept = json_array();
	size_t index;
	json_t *device;
	json_array_foreach(json_object_get(reply, "devices"), index,
	                   device) if (device_states(device) & options->states)
	    json_array_append(kept, device);
	json_object_set_new(reply, "devices", kept);
	recount_summary(reply, kept);
}
