/* SPDX-License-Identifier: ISC */
/* com.apple.mobilebackup2 as a phone speaks it to libimobiledevice 1.3.0: the DeviceLink
 * version exchange (the phone speaks first), the protocol-version Hello, EnableCloudBackup and
 * its reply, DLMessageDisconnect; and com.apple.mobile.notification_proxy, which
 * idevicebackup2 opens first (observations are accepted silently, Shutdown gets ProxyDeath).
 * Every DeviceLink message is an array whose first item names it. */
#include "sim.h"

#include <string.h>

#define DL_VERSION_MAJOR 300 /* what libimobiledevice 1.3.0 expects (MBACKUP2_VERSION_INT1) */
#define BACKUP_DOMAIN    "com.apple.mobile.backup"

/* The replies to EnableCloudBackup a refusing phone sends, as iOS 26.1's BackupAgent2 words
 * them (backupctl(1), ACTIONS): 1 without an iCloud account, 22 when management locks the setting;
 * in the "text (MBErrorDomain/N)" form public idevicebackup2 logs show (105, 205, 212). */
static const struct refusal {
	const char *name;
	unsigned code;
	const char *description;
} refusals[REFUSE_COUNT] = {
    [REFUSE_NONE] = {"ok", 0, NULL},
    [REFUSE_NO_ACCOUNT] = {"no-account", 1, "No account exists (MBErrorDomain/1)"},
    [REFUSE_RESTRICTED] = {"restricted", 22,
                           "Cloud backup enabling is disabled by MDM (MBErrorDomain/22)"},
    /* Seen in public logs (libimobiledevice #187) for a backup; here: any other refusal. */
    [REFUSE_SETUP] = {"setup-unfinished", 212,
                      "Unable to backup until Setup is finished (MBErrorDomain/212)"},
};

const char *refusal_name(enum backup_refusal refusal)
{
	return refusal < REFUSE_COUNT ? refusals[refusal].name : "?";
}

int refusal_from_name(const char *name)
{
	for (int i = 0; i < REFUSE_COUNT; i++)
		if (strcmp(name, refusals[i].name) == 0)
			return i;
	return -1;
}

static void send_dl(struct sim_conn *conn, const char *name, plist_t arg1, plist_t arg2)
{
	plist_t msg = plist_new_array();
	plist_array_append_item(msg, plist_new_string(name));
	if (arg1)
		plist_array_append_item(msg, arg1);
	if (arg2)
		plist_array_append_item(msg, arg2);
	conn_send_plist(conn, msg);
	plist_free(msg);
}

void backup_connected(struct sim_conn *conn)
{
	send_dl(conn, "DLMessageVersionExchange", plist_new_uint(DL_VERSION_MAJOR),
	        plist_new_uint(0));
}

static void send_process_reply(struct sim_conn *conn, plist_t dict)
{
	send_dl(conn, "DLMessageProcessMessage", dict, NULL);
}

static void hello(struct sim_conn *conn)
{
	plist_t reply = plist_new_dict();
	plist_dict_set_item(reply, "MessageName", plist_new_string("Response"));
	plist_dict_set_item(reply, "ErrorCode", plist_new_uint(0));
	plist_dict_set_item(reply, "ProtocolVersion", plist_new_real(2.1));
	send_process_reply(conn, reply);
}

static bool requested_state(plist_t request)
{
	uint8_t on = 0;
	plist_t node = plist_dict_get_item(request, "CloudBackupState");
	if (node && plist_get_node_type(node) == PLIST_BOOLEAN)
		plist_get_bool_val(node, &on);
	return on;
}

/* Switching iCloud Backup off removes the last backup date as a phone does. */
static void enable_cloud_backup(struct sim_conn *conn, struct sim_device *dev, plist_t request)
{
	const struct refusal *refusal = &refusals[dev->refusal];
	plist_t reply = plist_new_dict();
	plist_dict_set_item(reply, "MessageName", plist_new_string("Response"));
	plist_dict_set_item(reply, "ErrorCode", plist_new_uint(refusal->code));
	if (refusal->description) {
		plist_dict_set_item(reply, "ErrorDescription",
		                    plist_new_string(refusal->description));
	} else {
		bool on = requested_state(request);
		plist_t domain = fleet_domain(dev, BACKUP_DOMAIN, true);
		plist_dict_set_item(domain, "CloudBackupEnabled", plist_new_bool(on));
		if (!on)
			plist_dict_remove_item(domain, "LastCloudBackupDate");
	}
	send_process_reply(conn, reply);
}

static void process_message(struct sim_conn *conn, struct sim_device *dev, plist_t dict)
{
	const char *name = plist_str(dict, "MessageName");
	if (name && strcmp(name, "Hello") == 0) {
		hello(conn);
	} else if (name && strcmp(name, "EnableCloudBackup") == 0) {
		enable_cloud_backup(conn, dev, dict);
	} else {
		plist_t reply = plist_new_dict();
		plist_dict_set_item(reply, "MessageName", plist_new_string("Response"));
		plist_dict_set_item(reply, "ErrorCode", plist_new_uint(1));
		plist_dict_set_item(reply, "ErrorDescription",
		                    plist_new_string("Unsupported request (MBErrorDomain/1)"));
		send_process_reply(conn, reply);
	}
}

static const char *dl_name(plist_t message)
{
	if (plist_get_node_type(message) != PLIST_ARRAY || plist_array_get_size(message) < 1)
		return NULL;
	plist_t first = plist_array_get_item(message, 0);
	if (plist_get_node_type(first) != PLIST_STRING)
		return NULL;
	return plist_get_string_ptr(first, NULL);
}

void backup_handle(struct sim_conn *conn, struct sim_device *dev, plist_t message)
{
	const char *name = dl_name(message);
	conn->sim->stats.backup_requests++;
	plist_t arg =
	    name && plist_array_get_size(message) > 1 ? plist_array_get_item(message, 1) : NULL;
	if (!name || strcmp(name, "DLMessageDisconnect") == 0) {
		conn->close_after = true; /* garbage or goodbye: the phone hangs up */
	} else if (strcmp(name, "DLMessageVersionExchange") == 0) {
		send_dl(conn, "DLMessageDeviceReady", NULL, NULL);
	} else if (strcmp(name, "DLMessageProcessMessage") == 0 && arg &&
	           plist_get_node_type(arg) == PLIST_DICT) {
		process_message(conn, dev, arg);
	} else {
		conn->close_after = true;
	}
}

void notify_handle(struct sim_conn *conn, struct sim_device *dev, plist_t message)
{
	(void)dev;
	const char *command = plist_str(message, "Command");
	if (command && strcmp(command, "Shutdown") == 0) {
		plist_t reply = plist_new_dict();
		plist_dict_set_item(reply, "Command", plist_new_string("ProxyDeath"));
		conn_send_plist(conn, reply);
		plist_free(reply);
		conn->close_after = true;
	}
}
