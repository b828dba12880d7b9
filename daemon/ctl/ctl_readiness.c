/* SPDX-License-Identifier: ISC */
/* What backupctl may claim of a device as a whole: its readiness (from the reply's
 * "readiness", in one place for the table, the rows, the filter and the check plugin), and
 * whether "never backed up" was observed or nothing was read. */
#include <string.h>

#include "ctl.h"

static const struct readiness_word {
	const char *readiness; /* the reply's "readiness"; also the --state and row word */
	const char *name;      /* in --no-legend rows and --state */
	const char *word;      /* in the READY column */
	enum ctl_color color;
} words[] = {
    [CTL_READY] = {"ready", "ready", "yes", CTL_COLOR_GREEN},
    [CTL_NOT_READY] = {"not_ready", "not-ready", "no", CTL_COLOR_RED},
    [CTL_UNKNOWN] = {"unknown", "unknown", "unknown", CTL_COLOR_YELLOW},
};

/* A device without the field (or with a word this backupctl does not know) is unknown: never
 * claim more than the daemon said. */
enum ctl_readiness ctl_device_readiness(const json_t *device)
{
	const char *readiness = json_string_value(ctl_get(device, "readiness"));
	for (size_t i = 0; readiness && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].readiness, readiness) == 0)
			return (enum ctl_readiness)i;
	return CTL_UNKNOWN;
}

const char *ctl_readiness_name(enum ctl_readiness readiness)
{
	return words[readiness].name;
}

const char *ctl_readiness(const json_t *device, enum ctl_color *color)
{
	enum ctl_readiness readiness = ctl_device_readiness(device);
	*color = words[readiness].color;
	return words[readiness].word;
}

const char *ctl_no_backup_word(const json_t *device)
{
	const char *status = json_string_value(ctl_get(device, "probe_status"));
	return status && strcmp(status, "ok") == 0 ? "never" : "-";
}
