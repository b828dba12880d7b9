/* SPDX-License-Identifier: ISC */
/* probe_plain: what a probe asks lockdownd without a session, of a phone that has no working
 * pair record here: to pair, and who it is. */
#ifndef BACKUPD_PROBE_PLAIN_H
#define BACKUPD_PROBE_PLAIN_H

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>

#include "facts.h"

#define PROBE_LABEL "backupd" /* the client name lockdownd logs */

/* Asks the phone to pair (a stale record: the answer tells the states apart). */
lockdownd_error_t probe_plain_ask_to_pair(idevice_t device);
/* Fills out's name, product type and version from the phone's answer without a session; best
 * effort, out unchanged on failure. */
void probe_plain_identity(idevice_t device, struct device_facts *out);

#endif
