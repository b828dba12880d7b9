/* SPDX-License-Identifier: ISC */
/* slot_oncart: [Rules] OnCartHours=: during those hours (local time) every known phone should
 * be on the cart; one that is not attached is announced once, with the slot it was last in
 * and when it was last seen, and recovers when it comes back. */
#ifndef BACKUPD_SLOT_ONCART_H
#define BACKUPD_SLOT_ONCART_H

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "slot_config.h"

struct oncart_hours {
	int start_min, end_min; /* minutes after local midnight; end <= start wraps midnight */
};

/* Parses "18:00-07:00" (HH:MM-HH:MM, 24 h). Returns 0, or -1 when it is not such a window
 * or both ends are equal. out may be NULL (just checks). */
int slot_oncart_parse(const char *text, struct oncart_hours *out);
/* Whether minute_of_day (0..1439) is inside the window. Pure. */
bool slot_oncart_inside(const struct oncart_hours *hours, int minute_of_day);

/* A detached phone inside the window is announced once (journal, STATE=failing); returns 1
 * when rec changed. window_text "" = not checked. */
int slot_oncart_check(struct device_record *rec, const char *window_text,
                      const struct port_names *names, int64_t now_unix);
/* The phone is back: the recovery (STATE=ok) when it was announced. Returns 1 when rec
 * changed. */
int slot_oncart_returned(struct device_record *rec, const struct port_names *names);

#endif
