/* What backupctl may claim of a device as a whole: its readiness (one word and its colour),
 * and whether "never backed up" was observed or nothing was read. */
#include <string.h>

#include "ctl.h"

static const struct readiness_word {
	const char *readiness; /* the reply's "readiness" */
	const char *word;
	enum ctl_color color;
} words[] = {
    {"ready", "yes", CTL_COLOR_GREEN},
    {"not_ready", "no", CTL_COLOR_RED},
    {"unknown", "unknown", CTL_COLOR_YELLOW}, /* last: also for a reply without the field */
};

const char *ctl_readiness(const json_t *device, enum ctl_color *color)
{
	const char *readiness = json_string_value(json_object_get(device, "readiness"));
	size_t n = sizeof(words) / sizeof(words[0]);
	size_t i = 0;
	while (i < n - 1 && !(readiness && strcmp(words[i].readiness, readiness) == 0))
		i++;
	*color = words[i].color;
	return words[i].word;
}

const char *ctl_no_backup_word(const json_t *device)
{
	const char *status = json_string_value(json_object_get(device, "probe_status"));
	return status && strcmp(status, "ok") == 0 ? "never" : "-";
}
