/* SPDX-License-Identifier: ISC */
/* facts_carry: what a device record's facts keep from before. Within one attachment a failed
 * probe keeps what it could not re-read but is still true (who the phone is, when it last
 * backed up). Across attachments, and across a restart, only identity survives: the phone
 * may have backed up, been unlocked or unplugged meanwhile, so nothing from before is judged
 * until this attachment's first probe. */
#ifndef BACKUPD_FACTS_CARRY_H
#define BACKUPD_FACTS_CARRY_H

#include "facts.h"

/* dst becomes src, keeping dst's identity and backup date where a failed src lacks them. */
void facts_carry_probe(struct device_facts *dst, const struct device_facts *src);

/* Keeps name, model, iOS version, build and serial; everything else "not probed yet". */
void facts_carry_identity(struct device_facts *facts);

#endif
