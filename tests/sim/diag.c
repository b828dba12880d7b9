/* SPDX-License-Identifier: ISC */
/* com.apple.mobile.diagnostics_relay: the IORegistry entry of the Wi-Fi interface, by
 * entry name or class, Restart (restart.c), and Goodbye. */
#include "sim.h"

#include <string.h>

static bool names_wifi(const char *s, const struct sim_device *dev)
{
	return s && *s && strcmp(s, dev->wifi_class) == 0;
}

/* Properties as an ioreg dump shows them; not joined: empty SSID, zero BSSID. */
static plist_t wifi_properties(const struct sim_device *dev)
{
	plist_t p = plist_new_dict();
	plist_dict_set_item(p, "BSD Name", plist_new_string("en0"));
	plist_dict_set_item(p, "IOClass", plist_new_string(dev->wifi_class));
	plist_dict_set_item(p, "IOInterfaceName", plist_new_string("en"));
	plist_dict_set_item(p, "IOInterfaceUnit", plist_new_uint(0));
	plist_dict_set_item(p, "IO80211SSID", plist_new_string(dev->ssid));
	plist_dict_set_item(p, "IO80211BSSID", plist_new_data((const char *)dev->bssid, 6));
	return p;
}

static plist_t ioregistry_reply(const struct sim_device *dev, plist_t req)
{
	plist_t reply = plist_new_dict();
	if (!names_wifi(plist_str(req, "EntryName"), dev) &&
	    !names_wifi(plist_str(req, "EntryClass"), dev)) {
		plist_dict_set_item(reply, "Status", plist_new_string("Failure"));
		return reply;
	}
	plist_t diagnostics = plist_new_dict();
	plist_dict_set_item(diagnostics, "IORegistry", wifi_properties(dev));
	plist_dict_set_item(reply, "Diagnostics", diagnostics);
	plist_dict_set_item(reply, "Status", plist_new_string("Success"));
	return reply;
}

void diag_handle(struct sim_conn *conn, struct sim_device *dev, plist_t request)
{
	const char *name = plist_str(request, "Request");
	plist_t reply;
	conn->sim->stats.diag_requests++;
	if (name && strcmp(name, "IORegistry") == 0) {
		reply = ioregistry_reply(dev, request);
	} else if (name && strcmp(name, "Restart") == 0) {
		reply = plist_new_dict();
		plist_dict_set_item(reply, "Status", plist_new_string("Success"));
		restart_device(conn->sim, dev);
	} else {
		reply = plist_new_dict();
		bool bye = name && strcmp(name, "Goodbye") == 0;
		plist_dict_set_item(reply, "Status",
		                    plist_new_string(bye ? "Success" : "UnknownRequest"));
		conn->close_after = bye;
	}
	conn_send_plist(conn, reply);
	plist_free(reply);
}
