/* SPDX-License-Identifier: ISC */
/* Reading device_facts out of the plists lockdownd and diagnostics_relay return. Pure: no I/O,
 * every value type-checked, a missing or mistyped value left unknown. */
#ifndef BACKUPD_PROBE_VALUES_H
#define BACKUPD_PROBE_VALUES_H

#include <plist/plist.h>

#include "facts.h"

/* Each takes the "Value" of a GetValue on one domain (NULL or a non-dict leaves its facts
 * unknown; for the backup domain that marks the last backup date unreadable). */
void probe_values_root(plist_t dict, struct device_facts *out);
void probe_values_backup(plist_t dict, struct device_facts *out);
void probe_values_battery(plist_t dict, struct device_facts *out);
void probe_values_disk(plist_t dict, struct device_facts *out);

/* Takes the "Diagnostics" dict of an IORegistry reply. TRI_YES or TRI_NO when the interface's
 * properties say so (the SSID is copied into out->wifi_ssid), TRI_UNKNOWN when they don't. */
enum tristate probe_values_wifi(plist_t diagnostics, struct device_facts *out);

#endif
