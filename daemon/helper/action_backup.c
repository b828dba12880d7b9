/* SPDX-License-Identifier: ISC */
/* Switching iCloud Backup on as `idevicebackup2 cloud on` does (libimobiledevice 1.3.0's
 * mobilebackup2 API): StartService com.apple.mobilebackup2 with the escrow bag, the DeviceLink
 * version exchange (in mobilebackup2_client_new), the protocol-version Hello, then
 * EnableCloudBackup with CloudBackupState true and the phone's DLMessageProcessMessage reply,
 * whose ErrorCode says whether it worked. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/mobilebackup2.h>

#include "action_helper.h"

#define BACKUP_SERVICE "com.apple.mobilebackup2"
/* Messages the phone may send before its answer that we skip (none are expected). */
#define MAX_MESSAGES 8

/* The ErrorCodes a phone refuses EnableCloudBackup with (MBErrorDomain), as iOS 26.1's
 * BackupAgent2 answers (../shared/device-facts.md, "EnableCloudBackup refusals"): 1 no
 * account (or one not provisioned for backup), 22 locked by management (MDM or Screen Time
 * restriction, Shared iPad, Return to Service). Any other non-zero code is shown as the
 * phone's own ErrorCode and description. */
static const struct {
	int code;
	enum action_outcome outcome;
} refusal_codes[] = {
    {1, ACTION_NO_ACCOUNT},
    {22, ACTION_RESTRICTED},
};

static enum action_outcome outcome_of_code(int code)
{
	if (code == 0)
		return ACTION_DONE;
	for (size_t i = 0; i < sizeof(refusal_codes) / sizeof(refusal_codes[0]); i++)
		if (refusal_codes[i].code == code)
			return refusal_codes[i].outcome;
	return ACTION_DEVICE_ERROR;
}

static void read_answer(plist_t dict, struct action_reply *out)
{
	uint64_t code = 0;
	plist_t node = plist_dict_get_item(dict, "ErrorCode");
	if (!node || plist_get_node_type(node) != PLIST_UINT) {
		action_fail(out, ACTION_FAILED, 0, "EnableCloudBackup: the reply has no ErrorCode");
		return;
	}
	plist_get_uint_val(node, &code);
	const char *text = NULL;
	plist_t desc = plist_dict_get_item(dict, "ErrorDescription");
	if (desc && plist_get_node_type(desc) == PLIST_STRING)
		text = plist_get_string_ptr(desc, NULL);
	int signed_code = code > 0x7fffffff ? -1 : (int)code;
	action_fail(out, outcome_of_code(signed_code), signed_code, "%s",
	            text ? text : (code ? "(no description)" : ""));
}

/* Waits for the DLMessageProcessMessage that answers the request. */
static void receive_answer(mobilebackup2_client_t mb, struct action_reply *out)
{
	for (int i = 0; i < MAX_MESSAGES; i++) {
		plist_t msg = NULL;
		char *dlmsg = NULL;
		mobilebackup2_error_t err = mobilebackup2_receive_message(mb, &msg, &dlmsg);
		if (err != MOBILEBACKUP2_E_SUCCESS || !dlmsg) {
			action_fail(out, ACTION_FAILED, err,
			            "EnableCloudBackup: no answer from the phone (%d)", err);
			plist_free(msg);
			free(dlmsg);
			return;
		}
		bool answer = strcmp(dlmsg, "DLMessageProcessMessage") == 0;
		bool gone = strcmp(dlmsg, "DLMessageDisconnect") == 0;
		free(dlmsg);
		if (answer) {
			plist_t dict = plist_array_get_item(msg, 1);
			if (dict && plist_get_node_type(dict) == PLIST_DICT)
				read_answer(dict, out);
			else
				action_fail(out, ACTION_FAILED, 0,
				            "EnableCloudBackup: malformed answer");
			plist_free(msg);
			return;
		}
		plist_free(msg);
		if (gone) {
			action_fail(out, ACTION_FAILED, 0,
			            "EnableCloudBackup: the phone disconnected without answering");
			return;
		}
	}
	action_fail(out, ACTION_FAILED, 0,
	            "EnableCloudBackup: no answer among the phone's messages");
}

static void enable_over(mobilebackup2_client_t mb, const char *udid, struct action_reply *out)
{
	double versions[2] = {2.0, 2.1}, remote = 0.0;
	mobilebackup2_error_t err = mobilebackup2_version_exchange(mb, versions, 2, &remote);
	if (err != MOBILEBACKUP2_E_SUCCESS) {
		action_fail(out, ACTION_FAILED, err, "mobilebackup2 Hello failed (%d)", err);
		return;
	}
	plist_t opts = plist_new_dict();
	plist_dict_set_item(opts, "CloudBackupState", plist_new_bool(1));
	err = mobilebackup2_send_request(mb, "EnableCloudBackup", udid, udid, opts);
	plist_free(opts);
	if (err != MOBILEBACKUP2_E_SUCCESS) {
		action_fail(out, ACTION_FAILED, err, "EnableCloudBackup could not be sent (%d)",
		            err);
		return;
	}
	receive_answer(mb, out);
}

void action_enable_backup(const char *udid, unsigned timeout_ms, struct action_reply *out)
{
	struct action_link *link = action_link_open(udid, timeout_ms, out);
	if (!link)
		return;
	void *svc = NULL;
	if (action_link_start(link, BACKUP_SERVICE, true, &svc, out)) {
		mobilebackup2_client_t mb = NULL;
		mobilebackup2_error_t err =
		    mobilebackup2_client_new(action_link_device(link), svc, &mb);
		lockdownd_service_descriptor_free(svc);
		if (err != MOBILEBACKUP2_E_SUCCESS)
			action_fail(out, ACTION_FAILED, err,
			            "mobilebackup2 version exchange failed (%d)", err);
		else
			enable_over(mb, udid, out);
		if (mb)
			mobilebackup2_client_free(mb);
	}
	if (action_link_expired(link))
		action_fail(out, ACTION_FAILED, 0, "no answer within %u ms", timeout_ms);
	action_link_close(link);
}
