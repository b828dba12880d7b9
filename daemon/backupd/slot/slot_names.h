/* SPDX-License-Identifier: ISC */
/* slot_names: what a person calls a USB port: "Cart 3" and slot "7" from [Hub] and [Slot]
 * sections, or the port path itself when none names it. Pure. */
#ifndef BACKUPD_SLOT_NAMES_H
#define BACKUPD_SLOT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "slot_config.h"

struct slot_label {
	char cart[SLOT_NAME_MAX]; /* "" = no cart names this port */
	char slot[SLOT_NAME_MAX]; /* "" = no slot name */
	bool configured;          /* a [Hub] or [Slot] section covers the port */
	/* Sort key for "cart order": configured ports by cart, then slot number, then name. */
	int slot_number; /* -1 when the slot name is not a number */
};

/* port_path "" gives an empty, unconfigured label. */
void slot_names_resolve(const struct port_names *names, const char *port_path,
                        struct slot_label *out);
/* slot_label_format (include/slot_label.h) of this label. */
const char *slot_label_text(const struct slot_label *label, const char *port_path, char *buf,
                            size_t size);
/* <0, 0, >0: configured before unconfigured, then cart, slot number, slot name, port path. */
int slot_label_compare(const struct slot_label *a, const char *port_a, const struct slot_label *b,
                       const char *port_b);

#endif
