/* SPDX-License-Identifier: ISC */
/* slot_config: the [Hub PORTPATH] and [Slot PORTPATH] sections of backupd.conf, which name
 * USB ports as carts and slots. config.c reads the lines; this knows what they may say. */
#ifndef BACKUPD_SLOT_CONFIG_H
#define BACKUPD_SLOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "port_path.h"

#define SLOT_NAME_MAX 48

struct port_name {
	char port_path[PORT_PATH_MAX];
	bool hub;                 /* [Hub]: every port below it; else [Slot]: this port */
	char cart[SLOT_NAME_MAX]; /* Cart= ("" = not given) */
	char name[SLOT_NAME_MAX]; /* Name= ([Slot] only; "" = not given) */
	int first_slot;           /* FirstSlot= ([Hub] only): the name of port 1, default 1 */
};

struct port_names {
	int n;
	struct port_name *names; /* owned */
};

/* True for a kernel port path: "1-2", "1-2.3.4" (bus, '-', port numbers joined by '.'). */
bool slot_port_path_valid(const char *text);
/* The section for path (a second section for the same port adds to the first). Returns its
 * index, or -1 with why set. */
int slot_config_enter(struct port_names *names, bool hub, const char *path, char *why,
                      size_t why_size);
/* One Key=Value line of that section; -1 with why ("Cart: ...") when it is not valid. */
int slot_config_apply(struct port_name *name, const char *key, const char *value, char *why,
                      size_t why_size);
void slot_config_free(struct port_names *names);

#endif
