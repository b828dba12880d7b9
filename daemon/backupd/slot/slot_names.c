/* SPDX-License-Identifier: ISC */
/* slot_names: [Slot] overrides its port; else the deepest [Hub] above the port names it,
 * slot = the port number right below the hub (plus FirstSlot - 1), the rest of a deeper path
 * kept ("4.2" for a phone behind a second hub on port 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slot_label.h"
#include "slot_names.h"
#include "xmalloc.h"

/* The part of port below hub ("1-2.3.4" below "1-2" is "3.4"), NULL when not below it. */
static const char *below(const char *hub, const char *port)
{
	size_t n = strlen(hub);
	if (strncmp(hub, port, n) != 0 || port[n] != '.')
		return NULL;
	return port + n + 1;
}

static const struct port_name *deepest_hub(const struct port_names *names, const char *port)
{
	const struct port_name *best = NULL;
	for (int i = 0; i < names->n; i++) {
		const struct port_name *n = &names->names[i];
		if (n->hub && below(n->port_path, port) &&
		    (!best || strlen(n->port_path) > strlen(best->port_path)))
			best = n;
	}
	return best;
}

static void name_from_hub(const struct port_name *hub, const char *port, struct slot_label *out)
{
	const char *rest = below(hub->port_path, port);
	char *end;
	long first = strtol(rest, &end, 10);
	strlcpy_safe(out->cart, hub->cart, sizeof(out->cart));
	char number[24];
	snprintf(number, sizeof(number), "%ld", first + hub->first_slot - 1);
	strlcpy_safe(out->slot, number, sizeof(out->slot));
	size_t used = strlen(out->slot);
	strlcpy_safe(out->slot + used, end, sizeof(out->slot) - used);
	out->slot_number = *end ? -1 : (int)(first + hub->first_slot - 1);
	out->configured = true;
}

/* The last port number of a path: "7" of "1-2.7", "4" of "2-4". */
static const char *port_number(const char *port_path)
{
	const char *dot = strrchr(port_path, '.');
	const char *dash = strchr(port_path, '-');
	return dot ? dot + 1 : dash ? dash + 1 : port_path;
}

void slot_names_resolve(const struct port_names *names, const char *port_path,
                        struct slot_label *out)
{
	memset(out, 0, sizeof(*out));
	out->slot_number = -1;
	if (!port_path || !port_path[0])
		return;
	const struct port_name *hub = deepest_hub(names, port_path);
	if (hub)
		name_from_hub(hub, port_path, out);
	for (int i = 0; i < names->n; i++) {
		const struct port_name *n = &names->names[i];
		if (n->hub || strcmp(n->port_path, port_path) != 0)
			continue;
		out->configured = true;
		if (n->cart[0])
			strlcpy_safe(out->cart, n->cart, sizeof(out->cart));
		/* Name= defaults to the port's own number (the last of its path), as documented. */
		const char *slot = n->name;
		if (!slot[0] && !out->slot[0])
			slot = port_number(port_path);
		if (slot[0]) {
			strlcpy_safe(out->slot, slot, sizeof(out->slot));
			char *end;
			long number = strtol(slot, &end, 10);
			out->slot_number = *end || end == slot ? -1 : (int)number;
		}
	}
}

const char *slot_label_text(const struct slot_label *label, const char *port_path, char *buf,
                            size_t size)
{
	return slot_label_format(label->cart, label->slot, port_path, buf, size);
}

int slot_label_compare(const struct slot_label *a, const char *port_a, const struct slot_label *b,
                       const char *port_b)
{
	if (a->configured != b->configured)
		return a->configured ? -1 : 1;
	int c = strcmp(a->cart, b->cart);
	if (c)
		return c;
	if (a->slot_number != b->slot_number)
		return a->slot_number < 0   ? 1
		       : b->slot_number < 0 ? -1
		                            : a->slot_number - b->slot_number;
	c = strcmp(a->slot, b->slot);
	return c ? c : strcmp(port_a ? port_a : "", port_b ? port_b : "");
}
