/* SPDX-License-Identifier: ISC */
/* Turning a libimobiledevice failure into a probe status and a sentence a person can act on. */
#ifndef BACKUPD_PROBE_ERRORS_H
#define BACKUPD_PROBE_ERRORS_H

#include <stdbool.h>

#include "facts.h"

/* What the probe knew when a lockdownd call failed. */
struct probe_failure {
	const char *doing;    /* "StartSession", "GetValue com.apple.mobile.battery", ... */
	int lockdown_code;    /* lockdownd_error_t */
	bool has_pair_record; /* usbmuxd holds a pair record for the device */
	bool still_listed;    /* usbmuxd still lists the device after the failure */
};

/* What usbmuxd says of udid after a failure: it holds a pair record; it still lists it. */
bool probe_errors_has_pair_record(const char *udid);
bool probe_errors_still_listed(const char *udid);

/* Sets out->status and out->error. */
void probe_errors_apply(const struct probe_failure *failure, struct device_facts *out);

#endif
