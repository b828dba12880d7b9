/* SPDX-License-Identifier: ISC */
/* Unpairing (PROBE_OP_UNPAIR): the phone is told to forget this host when it still knows it,
 * and the record is deleted from usbmuxd either way, so the next probe finds none. */
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <usbmuxd.h>

#include "action_helper.h"
#include "probe_watchdog.h"

void action_unpair(const char *udid, unsigned timeout_ms, struct action_reply *out)
{
	struct probe_watchdog *dog = probe_watchdog_new();
	if (!dog) {
		action_fail(out, ACTION_FAILED, 0, "cannot start the helper's watchdog");
		return;
	}
	probe_watchdog_arm(dog, timeout_ms, NULL, 0);
	idevice_t device = NULL;
	lockdownd_client_t lockdown = NULL;
	lockdownd_error_t rc = LOCKDOWN_E_UNKNOWN_ERROR;
	if (idevice_new_with_options(&device, udid, IDEVICE_LOOKUP_USBMUX) == IDEVICE_E_SUCCESS &&
	    lockdownd_client_new(device, &lockdown, "backupd") == LOCKDOWN_E_SUCCESS)
		rc = lockdownd_unpair(lockdown, NULL); /* deletes the record too when it works */
	if (rc != LOCKDOWN_E_SUCCESS && usbmuxd_delete_pair_record(udid) < 0)
		action_fail(out, ACTION_FAILED, rc, "no pair record to remove (phone said %d)", rc);
	else if (rc != LOCKDOWN_E_SUCCESS)
		action_fail(out, ACTION_DONE, 0,
		            "record removed; the phone had forgotten this host");
	else
		action_fail(out, ACTION_DONE, 0, "unpaired");
	if (lockdown)
		lockdownd_client_free(lockdown);
	if (device)
		idevice_free(device);
	probe_watchdog_disarm(dog);
	probe_watchdog_free(dog);
}
