/* SPDX-License-Identifier: ISC */
/* The lockdownd part every action shares: device handle, paired session, StartService, and
 * the watchdog that bounds it all. Lockdown failures are named as probes name them
 * (probe_errors.c), then folded into the outcomes backupctl distinguishes. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>

#include "action_helper.h"
#include "probe_errors.h"
#include "probe_watchdog.h"
#include "xmalloc.h"

#define ACTION_LABEL "backupd"

struct action_link {
	idevice_t device;
	lockdownd_client_t lockdown;
	struct probe_watchdog *watchdog;
};

void action_fail(struct action_reply *out, enum action_outcome outcome, int code, const char *fmt,
                 ...)
{
	out->outcome = outcome;
	out->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->description, sizeof(out->description), fmt, ap);
	va_end(ap);
}

static enum action_outcome outcome_of(enum probe_status status)
{
	switch (status) {
	case PROBE_NOT_PAIRED:
	case PROBE_TRUST_PENDING:
	case PROBE_PAIRING_DENIED:
		return ACTION_NOT_PAIRED;
	case PROBE_LOCKED_SINCE_BOOT:
		return ACTION_LOCKED;
	default:
		return ACTION_FAILED;
	}
}

static void lockdown_failed(const char *udid, const char *doing, int code, struct action_reply *out)
{
	struct probe_failure failure = {
	    .doing = doing,
	    .lockdown_code = code,
	    .has_pair_record = probe_errors_has_pair_record(udid),
	    .still_listed = probe_errors_still_listed(udid),
	};
	struct device_facts facts;
	facts_init(&facts, udid);
	probe_errors_apply(&failure, &facts);
	action_fail(out, outcome_of(facts.status), code, "%s", facts.error);
}

struct action_link *action_link_open(const char *udid, unsigned timeout_ms,
                                     struct action_reply *out)
{
	struct action_link *link = xcalloc(1, sizeof(*link));
	link->watchdog = probe_watchdog_new();
	if (!link->watchdog) {
		action_fail(out, ACTION_FAILED, 0, "cannot start the helper's watchdog");
		action_link_close(link);
		return NULL;
	}
	probe_watchdog_arm(link->watchdog, timeout_ms, NULL, 0);
	if (idevice_new_with_options(&link->device, udid, IDEVICE_LOOKUP_USBMUX) !=
	    IDEVICE_E_SUCCESS) {
		action_fail(out, ACTION_FAILED, 0, "usbmuxd does not list the phone");
		action_link_close(link);
		return NULL;
	}
	lockdownd_error_t rc =
	    lockdownd_client_new_with_handshake(link->device, &link->lockdown, ACTION_LABEL);
	if (rc != LOCKDOWN_E_SUCCESS) {
		lockdown_failed(udid, "StartSession", rc, out);
		action_link_close(link);
		return NULL;
	}
	return link;
}

bool action_link_start(struct action_link *link, const char *service, bool escrow,
                       void **descriptor, struct action_reply *out)
{
	lockdownd_service_descriptor_t svc = NULL;
	lockdownd_error_t rc =
	    escrow ? lockdownd_start_service_with_escrow_bag(link->lockdown, service, &svc)
	           : lockdownd_start_service(link->lockdown, service, &svc);
	if (rc != LOCKDOWN_E_SUCCESS || !svc || svc->port == 0) {
		char doing[96];
		snprintf(doing, sizeof(doing), "StartService %s", service);
		char *udid = NULL;
		idevice_get_udid(link->device, &udid);
		lockdown_failed(udid ? udid : "", doing, rc, out);
		free(udid);
		if (svc)
			lockdownd_service_descriptor_free(svc);
		return false;
	}
	*descriptor = svc;
	return true;
}

void *action_link_device(struct action_link *link)
{
	return link->device;
}

bool action_link_expired(struct action_link *link)
{
	return probe_watchdog_fired(link->watchdog);
}

void action_link_close(struct action_link *link)
{
	if (!link)
		return;
	if (link->lockdown)
		lockdownd_client_free(link->lockdown);
	if (link->device)
		idevice_free(link->device);
	if (link->watchdog) {
		probe_watchdog_disarm(link->watchdog);
		probe_watchdog_free(link->watchdog);
	}
	free(link);
}
