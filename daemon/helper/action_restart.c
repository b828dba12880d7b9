/* SPDX-License-Identifier: ISC */
/* Restarting a phone as `idevicediagnostics restart` does: diagnostics_relay's Restart with
 * WaitForDisconnect (the phone answers, then leaves the bus). */
#include <stdbool.h>
#include <stddef.h>

#include <libimobiledevice/diagnostics_relay.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>

#include "action_helper.h"

#define DIAGNOSTICS_SERVICE "com.apple.mobile.diagnostics_relay"

void action_restart(const char *udid, unsigned timeout_ms, struct action_reply *out)
{
	struct action_link *link = action_link_open(udid, timeout_ms, out);
	if (!link)
		return;
	void *svc = NULL;
	if (action_link_start(link, DIAGNOSTICS_SERVICE, false, &svc, out)) {
		diagnostics_relay_client_t diag = NULL;
		diagnostics_relay_error_t err =
		    diagnostics_relay_client_new(action_link_device(link), svc, &diag);
		lockdownd_service_descriptor_free(svc);
		if (err != DIAGNOSTICS_RELAY_E_SUCCESS)
			action_fail(out, ACTION_FAILED, err, "diagnostics_relay failed (%d)", err);
		else if ((err = diagnostics_relay_restart(
		              diag, DIAGNOSTICS_RELAY_ACTION_FLAG_WAIT_FOR_DISCONNECT)) !=
		         DIAGNOSTICS_RELAY_E_SUCCESS)
			action_fail(out, ACTION_DEVICE_ERROR, err, "the phone refused Restart (%d)",
			            err);
		else
			action_fail(out, ACTION_DONE, 0, "restarting");
		if (diag)
			diagnostics_relay_client_free(
			    diag); /* its Goodbye may fail: the phone is gone */
	}
	if (out->outcome != ACTION_DONE && action_link_expired(link))
		action_fail(out, ACTION_FAILED, 0, "no answer within %u ms", timeout_ms);
	action_link_close(link);
}
