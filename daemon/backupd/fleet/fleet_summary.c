/* SPDX-License-Identifier: ISC */
/* fleet_summary: counts and the status line of the fleet; see fleet_summary.h. */
#include <stdio.h>
#include <string.h>

#include "fleet.h"
#include "fleet_summary.h"
#include "preconditions.h"
#include "precondition.h"

void fleet_summary(struct fleet *fleet, struct fleet_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->usbmuxd_present = fleet_usbmuxd_present(fleet);
	size_t n;
	const struct device_record *const *records = fleet_records(fleet, &n);
	for (size_t i = 0; i < n; i++) {
		const struct device_record *rec = records[i];
		out->devices++;
		if (!rec->attached)
			continue;
		out->attached++;
		switch (verdicts_readiness(rec->verdicts, true)) {
		case READINESS_READY:
			out->ready++;
			break;
		case READINESS_NOT_READY:
			out->not_ready++;
			break;
		default:
			out->unknown++;
			break;
		}
	}
}

void fleet_summary_line(struct fleet *fleet, const struct probe_start_health *helpers, char *buf,
                        size_t size)
{
	struct fleet_summary s;
	fleet_summary(fleet, &s);
	snprintf(
	    buf, size, "%d devices attached, %d ready, %d not ready, %d unknown%s%s%s", s.attached,
	    s.ready, s.not_ready, s.unknown, s.usbmuxd_present ? "" : "; usbmuxd not running",
	    helpers->failing ? "; probe helpers cannot start" : "",
	    fleet_service(fleet)->state == VERDICT_FAILING ? "; Apple iCloud Backup: event" : "");
}
