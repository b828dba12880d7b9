/* SPDX-License-Identifier: ISC */
/* probe_wifi: the Wi-Fi fact of a probe, read from the Wi-Fi interface's entry in the phone's
 * I/O registry over diagnostics_relay (the session and its relay are probe.c's). */
#ifndef BACKUPD_PROBE_WIFI_H
#define BACKUPD_PROBE_WIFI_H

#include <stdbool.h>

#include <libimobiledevice/diagnostics_relay.h>

#include "facts.h"

/* Sets out->wifi_associated (and the SSID when given) from the first query that says; left
 * unknown when every query answered and none said. False when the connection looks dead (no
 * reply or an unreadable one): the caller reopens the relay once. */
bool probe_wifi_query(diagnostics_relay_client_t relay, struct device_facts *out);

#endif
