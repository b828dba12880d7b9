/* SPDX-License-Identifier: ISC */
/* slot_power: a phone's power verdict in the light of every phone's charging history (does
 * the fault follow the slot or the phone?), and the slot-level journal entry. On the loop. */
#ifndef BACKUPD_SLOT_POWER_H
#define BACKUPD_SLOT_POWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "slot_config.h"

/* Records self's charging observation (its probe's power verdict, in its port now; only when
 * probed_here: facts from a probe of this attachment, not of the port it left), then,
 * when power fails, rewrites power's reason to name the slot or the phone (slot_rules) and
 * writes the slot's journal entry once. all holds every record, self among them. Returns 1
 * when self's record changed (the state file is due). */
int slot_power_judge(struct device_record *self, bool probed_here,
                     const struct device_record *const *all, size_t n,
                     const struct port_names *names, struct verdict *power, int64_t now_unix);

#endif
