/* SPDX-License-Identifier: ISC */
/* probe_plain: lockdownd without a session (probe_plain.h). */
#include <string.h>

#include <libimobiledevice/lockdown.h>

#include "probe_plain.h"
#include "probe_values.h"

/* A stale pair record makes StartSession fail with InvalidHostID, and the handshake only
 * pairs when there is no record at all, so the phone would never show "Trust". Asking it to
 * pair tells the states apart: -19 dialog shown, -17 locked, -18 denied, 0 trusted again. */
lockdownd_error_t probe_plain_ask_to_pair(idevice_t device)
{
	lockdownd_client_t plain = NULL;
	lockdownd_error_t err = lockdownd_client_new(device, &plain, PROBE_LABEL);
	if (err != LOCKDOWN_E_SUCCESS)
		return err;
	err = lockdownd_pair(plain, NULL);
	lockdownd_client_free(plain);
	return err;
}

/* An unpaired or locked phone still tells who it is without a session, so the admin sees
 * which phone on the cart needs a tap. Best effort: nothing else depends on it. */
void probe_plain_identity(idevice_t device, struct device_facts *out)
{
	lockdownd_client_t plain = NULL;
	if (lockdownd_client_new(device, &plain, PROBE_LABEL) != LOCKDOWN_E_SUCCESS)
		return;
	plist_t value = NULL;
	if (lockdownd_get_value(plain, NULL, NULL, &value) == LOCKDOWN_E_SUCCESS) {
		struct device_facts identity = *out;
		probe_values_root(value, &identity);
		memcpy(out->name, identity.name, sizeof(out->name));
		memcpy(out->product_type, identity.product_type, sizeof(out->product_type));
		memcpy(out->product_version, identity.product_version,
		       sizeof(out->product_version));
	}
	plist_free(value);
	lockdownd_client_free(plain);
}
