/* SPDX-License-Identifier: ISC */
/* The lockdownd error -> probe status table. Pairing states get their own status and advice;
 * transport failures are told apart by whether usbmuxd still lists the device. */
#include <stdio.h>
#include <stdlib.h>

#include <libimobiledevice/lockdown.h>
#include <usbmuxd.h>

#include "probe_errors.h"

struct lockdown_error_row {
	int code;
	const char *name;
	enum probe_status status;
	const char *meaning; /* NULL: the name and the step say enough */
};

static const struct lockdown_error_row rows[] = {
    {LOCKDOWN_E_PLIST_ERROR, "plist error", PROBE_PROTOCOL_ERROR, NULL},
    {LOCKDOWN_E_SSL_ERROR, "SSL error", PROBE_PROTOCOL_ERROR, NULL},
    {LOCKDOWN_E_DICT_ERROR, "dict error", PROBE_PROTOCOL_ERROR, NULL},
    {LOCKDOWN_E_RECEIVE_TIMEOUT, "receive timeout", PROBE_UNRESPONSIVE,
     "the device did not answer in time"},
    {LOCKDOWN_E_MUX_ERROR, "mux error", PROBE_VANISHED, "connection to the device lost"},
    {LOCKDOWN_E_INVALID_RESPONSE, "InvalidResponse", PROBE_PROTOCOL_ERROR, NULL},
    {LOCKDOWN_E_INVALID_CONF, "invalid pair record", PROBE_NOT_PAIRED,
     "this host's pair record has no HostID; pair again"},
    {LOCKDOWN_E_PAIRING_FAILED, "pairing failed", PROBE_NOT_PAIRED,
     "tap Trust on the phone to pair"},
    {LOCKDOWN_E_USER_DENIED_PAIRING, "UserDeniedPairing", PROBE_PAIRING_DENIED,
     "\"Don't Trust\" was tapped; reconnect the cable to be asked again"},
    {LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING, "PairingDialogResponsePending",
     PROBE_TRUST_PENDING, "\"Trust this computer?\" is waiting on the phone's screen"},
    {LOCKDOWN_E_MISSING_HOST_ID, "MissingHostID", PROBE_NOT_PAIRED, "not paired with this host"},
    {LOCKDOWN_E_INVALID_HOST_ID, "InvalidHostID", PROBE_NOT_PAIRED,
     "the phone does not know this host (trust was reset); tap Trust to pair again"},
    {LOCKDOWN_E_MISSING_PAIR_RECORD, "MissingPairRecord", PROBE_NOT_PAIRED,
     "not paired with this host"},
    {LOCKDOWN_E_INVALID_PAIR_RECORD, "InvalidPairRecord", PROBE_NOT_PAIRED,
     "pair record rejected; pair again"},
    {LOCKDOWN_E_MC_PROTECTED, "MCProtected", PROBE_NOT_PAIRED,
     "pairing is prohibited without the organisation's supervision identity"},
    {LOCKDOWN_E_UNKNOWN_ERROR, "unknown error", PROBE_PROTOCOL_ERROR, NULL},
};

static const struct lockdown_error_row *find_row(int code)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].code == code)
			return &rows[i];
	return NULL;
}

/* PasswordProtected means two things: with a pair record, the phone restarted and was not
 * unlocked since; without one, pairing needs the phone unlocked to show the Trust dialog. */
static void password_protected(const struct probe_failure *failure, struct device_facts *out)
{
	if (failure->has_pair_record) {
		out->status = PROBE_LOCKED_SINCE_BOOT;
		snprintf(out->error, sizeof(out->error),
		         "%s: -17 (PasswordProtected): restarted and not unlocked since; "
		         "unlock it once with the passcode",
		         failure->doing);
	} else {
		out->status = PROBE_NOT_PAIRED;
		snprintf(out->error, sizeof(out->error),
		         "%s: -17 (PasswordProtected): not paired and locked; unlock it and tap "
		         "Trust",
		         failure->doing);
	}
}

void probe_errors_apply(const struct probe_failure *failure, struct device_facts *out)
{
	int code = failure->lockdown_code;
	if (code == LOCKDOWN_E_PASSWORD_PROTECTED) {
		password_protected(failure, out);
		return;
	}
	out->pairing_prohibited = code == LOCKDOWN_E_MC_PROTECTED;
	const struct lockdown_error_row *row = find_row(code);
	const char *name = row ? row->name : "lockdownd error";
	out->status = row ? row->status : PROBE_PROTOCOL_ERROR;
	bool transport = out->status == PROBE_PROTOCOL_ERROR || out->status == PROBE_VANISHED ||
	                 out->status == PROBE_UNRESPONSIVE;
	if (transport && !failure->still_listed) {
		out->status = PROBE_VANISHED;
		snprintf(out->error, sizeof(out->error), "%s: %d (%s); usbmuxd no longer lists it",
		         failure->doing, code, name);
		return;
	}
	if (row && row->meaning)
		snprintf(out->error, sizeof(out->error), "%s: %d (%s): %s", failure->doing, code,
		         name, row->meaning);
	else
		snprintf(out->error, sizeof(out->error), "%s: %d (%s)", failure->doing, code, name);
}

bool probe_errors_has_pair_record(const char *udid)
{
	char *record = NULL;
	uint32_t size = 0;
	int rc = usbmuxd_read_pair_record(udid, &record, &size);
	free(record);
	return rc == 0 && size > 0;
}

bool probe_errors_still_listed(const char *udid)
{
	usbmuxd_device_info_t info;
	return usbmuxd_get_device_by_udid(udid, &info) > 0;
}
