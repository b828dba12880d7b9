/* SPDX-License-Identifier: ISC */
/* slot_ports: every port any phone was seen in, what it is called, who is in it now and who
 * was in it last, in cart order. Derived from the phones' visit histories (the port itself
 * keeps nothing). Pure; shared by the "slots" reply (slot_json.c) and the cart pages. */
#ifndef BACKUPD_SLOT_PORTS_H
#define BACKUPD_SLOT_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "slot_config.h"
#include "slot_names.h"

struct slot_port_row {
	const char *port_path; /* points into a record: valid as long as the records */
	struct slot_label label;
	const struct device_record *now;  /* attached in it now, or NULL */
	const struct device_record *last; /* whose stay there ended last, or NULL */
	int64_t last_until;               /* when that stay ended */
	int64_t last_since;
};

/* The rows sorted by slot_label_compare; *out is the caller's to free(). */
void slot_ports_build(const struct device_record *const *devices, size_t n,
                      const struct port_names *names, struct slot_port_row **out, size_t *n_out);

#endif
