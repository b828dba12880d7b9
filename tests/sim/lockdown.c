/* SPDX-License-Identifier: ISC */
/* lockdownd as libimobiledevice 1.3.0 meets it on port 62078: requests and replies, the
 * session with its TLS upgrade, and the errors real devices give in each state. */
#include "sim.h"

#include <stdio.h>
#include <stddef.h>
#include <string.h>

/* Root keys a device hands out before StartSession (libimobiledevice #1199). */
static const char *const presession_keys[] = {
    "ActivationState", "BuildVersion",   "CPUArchitecture", "DeviceClass", "DeviceName",
    "DevicePublicKey", "HardwareModel",  "ProductName",     "ProductType", "ProductVersion",
    "SerialNumber",    "UniqueDeviceID", "WiFiAddress", /* go-ios reads it before Pair, for the
                                                           record it saves */
};

static bool presession_key(const char *key)
{
	for (size_t i = 0; i < sizeof presession_keys / sizeof presession_keys[0]; i++)
		if (strcmp(key, presession_keys[i]) == 0)
			return true;
	return false;
}

static plist_t reply_to(plist_t request)
{
	plist_t reply = plist_new_dict();
	const char *name = plist_str(request, "Request");
	plist_dict_set_item(reply, "Request", plist_new_string(name ? name : ""));
	return reply;
}

static void send_reply(struct sim_conn *conn, plist_t reply)
{
	conn_send_plist(conn, reply);
	plist_free(reply);
}

static void send_error(struct sim_conn *conn, plist_t reply, const char *error)
{
	plist_dict_set_item(reply, "Error", plist_new_string(error));
	send_reply(conn, reply);
}

static void do_query_type(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	(void)dev;
	plist_t reply = reply_to(req);
	plist_dict_set_item(reply, "Type", plist_new_string("com.apple.mobile.lockdown"));
	send_reply(conn, reply);
}

static plist_t presession_root(struct sim_device *dev)
{
	plist_t out = plist_new_dict();
	for (size_t i = 0; i < sizeof presession_keys / sizeof presession_keys[0]; i++) {
		plist_t v = plist_dict_get_item(dev->root, presession_keys[i]);
		if (v)
			plist_dict_set_item(out, presession_keys[i], plist_copy(v));
	}
	return out;
}

static plist_t lookup_value(struct sim_conn *conn, struct sim_device *dev, const char *domain,
                            const char *key)
{
	bool root = !domain || !*domain;
	if (!conn->in_session) {
		if (!root)
			return NULL;
		if (!key)
			return presession_root(dev);
		if (!presession_key(key))
			return NULL;
	}
	plist_t dict = root ? dev->root : plist_dict_get_item(dev->domains, domain);
	if (!dict)
		return NULL;
	plist_t v = key ? plist_dict_get_item(dict, key) : dict;
	return v ? plist_copy(v) : NULL;
}

static void do_get_value(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	const char *domain = plist_str(req, "Domain");
	const char *key = plist_str(req, "Key");
	plist_t reply = reply_to(req);
	if (domain)
		plist_dict_set_item(reply, "Domain", plist_new_string(domain));
	if (key)
		plist_dict_set_item(reply, "Key", plist_new_string(key));
	plist_t value = lookup_value(conn, dev, domain, key);
	if (!value) {
		send_error(conn, reply, "MissingValue");
		return;
	}
	plist_dict_set_item(reply, "Value", value);
	send_reply(conn, reply);
}

static const char *session_refusal(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	if (!plist_str(req, "HostID"))
		return "MissingHostID";
	if (dev->behaviour == BEH_LOCKED_SINCE_BOOT)
		return "PasswordProtected";
	/* The phone knows the hosts it paired with, not what usbmuxd holds. */
	if (dev->behaviour == BEH_NOT_PAIRED || !pairing_trusts(dev, plist_str(req, "HostID")))
		return "InvalidHostID";
	if (conn->in_session)
		return "SessionActive";
	return NULL;
}

static void do_start_session(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	plist_t reply = reply_to(req);
	const char *refusal = session_refusal(conn, dev, req);
	if (refusal) {
		send_error(conn, reply, refusal);
		return;
	}
	char session_id[40];
	snprintf(session_id, sizeof session_id, "SIM-%08X-%08lX", dev->id,
	         conn->sim->stats.sessions);
	plist_dict_set_item(reply, "SessionID", plist_new_string(session_id));
	plist_dict_set_item(reply, "EnableSessionSSL", plist_new_bool(1));
	conn->in_session = true;
	conn->tls_pending = true; /* TLS starts right after this reply leaves */
	conn->sim->stats.sessions++;
	send_reply(conn, reply);
}

static void do_stop_session(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	(void)dev;
	plist_t reply = reply_to(req);
	if (!conn->in_session) {
		send_error(conn, reply, "SessionInactive");
		return;
	}
	conn->in_session = false;
	conn->stopping = conn->ssl != NULL; /* the host's close_notify ends TLS */
	send_reply(conn, reply);
}

/* The services a phone starts here: diagnostics_relay over TLS; mobilebackup2 and
 * notification_proxy in plaintext (the simulator does not model their SSL). */
static bool service_port(const struct sim_device *dev, const char *service, uint16_t *port,
                         bool *ssl)
{
	static const struct {
		const char *name;
		size_t port_offset;
		bool ssl;
	} services[] = {
	    {"com.apple.mobile.diagnostics_relay", offsetof(struct sim_device, service_port), true},
	    {"com.apple.iosdiagnostics.relay", offsetof(struct sim_device, service_port), true},
	    {"com.apple.mobilebackup2", offsetof(struct sim_device, backup_port), false},
	    {"com.apple.mobile.notification_proxy", offsetof(struct sim_device, notify_port),
	     false},
	};
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (strcmp(service, services[i].name) == 0) {
			memcpy(port, (const char *)dev + services[i].port_offset, sizeof *port);
			*ssl = services[i].ssl;
			return true;
		}
	return false;
}

static void do_start_service(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	const char *service = plist_str(req, "Service");
	uint16_t port = 0;
	bool ssl = false;
	plist_t reply = reply_to(req);
	if (service)
		plist_dict_set_item(reply, "Service", plist_new_string(service));
	if (!service) {
		send_error(conn, reply, "MissingService");
	} else if (!conn->in_session) {
		send_error(conn, reply, "SessionInactive");
	} else if (!service_port(dev, service, &port, &ssl)) {
		send_error(conn, reply, "InvalidService");
	} else {
		plist_dict_set_item(reply, "Port", plist_new_uint(port));
		if (ssl)
			plist_dict_set_item(reply, "EnableServiceSSL", plist_new_bool(1));
		send_reply(conn, reply);
	}
}

static void do_pair(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	plist_t reply = reply_to(req);
	pairing_do_pair(conn, dev, req, reply);
	send_reply(conn, reply);
}

static void do_validate_pair(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	plist_t reply = reply_to(req);
	pairing_do_validate(dev, req, reply);
	send_reply(conn, reply);
}

/* The phone forgets the host; usbmuxd's record goes with the host's DeletePairRecord. */
static void do_unpair(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	pairing_do_unpair(dev, req);
	send_reply(conn, reply_to(req));
}

static void do_goodbye(struct sim_conn *conn, struct sim_device *dev, plist_t req)
{
	(void)dev;
	plist_t reply = reply_to(req);
	plist_dict_set_item(reply, "Result", plist_new_string("Success"));
	send_reply(conn, reply);
	conn->close_after = true;
}

static const struct lockdown_request {
	const char *name;
	void (*handle)(struct sim_conn *conn, struct sim_device *dev, plist_t req);
} requests[] = {
    {"QueryType", do_query_type},
    {"GetValue", do_get_value},
    {"StartSession", do_start_session},
    {"StopSession", do_stop_session},
    {"StartService", do_start_service},
    {"Pair", do_pair},
    {"ValidatePair", do_validate_pair},
    {"Unpair", do_unpair},
    {"Goodbye", do_goodbye},
};

void lockdown_handle(struct sim_conn *conn, struct sim_device *dev, plist_t request)
{
	const char *name = plist_str(request, "Request");
	for (size_t i = 0; name && i < sizeof requests / sizeof requests[0]; i++)
		if (strcmp(name, requests[i].name) == 0) {
			requests[i].handle(conn, dev, request);
			return;
		}
	send_error(conn, reply_to(request), "InvalidRequest");
}
