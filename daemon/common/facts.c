/* SPDX-License-Identifier: ISC */
/* Constructors and names for struct device_facts. */
#include <string.h>

#include "facts.h"
#include "xmalloc.h"

void facts_init(struct device_facts *facts, const char *udid)
{
	memset(facts, 0, sizeof(*facts));
	strlcpy_safe(facts->udid, udid, sizeof(facts->udid));
	facts->battery_percent = -1;
	facts->total_data_capacity = -1;
	facts->total_data_available = -1;
}

static const char *const probe_status_names[PROBE_STATUS_COUNT] = {
    [PROBE_NOT_YET] = "not_yet",
    [PROBE_OK] = "ok",
    [PROBE_NOT_PAIRED] = "not_paired",
    [PROBE_TRUST_PENDING] = "trust_pending",
    [PROBE_PAIRING_DENIED] = "pairing_denied",
    [PROBE_LOCKED_SINCE_BOOT] = "locked_since_boot",
    [PROBE_UNRESPONSIVE] = "unresponsive",
    [PROBE_VANISHED] = "vanished",
    [PROBE_PROTOCOL_ERROR] = "protocol_error",
};

const char *probe_status_name(enum probe_status status)
{
	if ((unsigned)status >= PROBE_STATUS_COUNT)
		return "invalid";
	return probe_status_names[status];
}
