/* SPDX-License-Identifier: ISC */
/* probe_wifi: whether the phone is on Wi-Fi, from its I/O registry over diagnostics_relay
 * (probe_wifi.h). */
#include <stddef.h>

#include <libimobiledevice/diagnostics_relay.h>

#include "probe_values.h"
#include "probe_wifi.h"

struct ioreg_query {
	const char *name, *class;
};

/* Newer devices name the Wi-Fi interface AppleBCMWLANSkywalkInterface, older ones
 * IO80211Interface; some answer only by name, some only by class. */
static const struct ioreg_query wifi_queries[] = {
    {"AppleBCMWLANSkywalkInterface", NULL},
    {NULL, "AppleBCMWLANSkywalkInterface"},
    {"IO80211Interface", NULL},
    {NULL, "IO80211Interface"},
};

bool probe_wifi_query(diagnostics_relay_client_t relay, struct device_facts *out)
{
	for (size_t i = 0; i < sizeof(wifi_queries) / sizeof(wifi_queries[0]); i++) {
		plist_t result = NULL;
		diagnostics_relay_error_t err = diagnostics_relay_query_ioregistry_entry(
		    relay, wifi_queries[i].name, wifi_queries[i].class, &result);
		enum tristate joined = TRI_UNKNOWN;
		if (err == DIAGNOSTICS_RELAY_E_SUCCESS)
			joined = probe_values_wifi(result, out);
		plist_free(result);
		if (err == DIAGNOSTICS_RELAY_E_PLIST_ERROR || err == DIAGNOSTICS_RELAY_E_MUX_ERROR)
			return false;
		if (joined != TRI_UNKNOWN) {
			out->wifi_associated = joined;
			return true;
		}
	}
	return true; /* every query answered, none said: unknown */
}
