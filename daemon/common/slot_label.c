/* SPDX-License-Identifier: ISC */
/* slot_label: see slot_label.h. */
#include <stdio.h>

#include "slot_label.h"

static int given(const char *text)
{
	return text && text[0];
}

const char *slot_label_format(const char *cart, const char *slot, const char *port_path, char *buf,
                              size_t size)
{
	if (given(cart) && given(slot))
		snprintf(buf, size, "%s/%s", cart, slot);
	else if (given(cart) || given(slot))
		snprintf(buf, size, "%s", given(cart) ? cart : slot);
	else
		snprintf(buf, size, "%s", given(port_path) ? port_path : "");
	return buf;
}
