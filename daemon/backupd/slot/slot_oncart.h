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

/* A detached phone inside the window is announced once (journal, STATE=failing); returns 1
 * when rec changed. window_text "" = not checked. */
int slot_oncart_check(struct device_record *rec, const char *window_text,
                      const struct port_names *names, int64_t now_unix);
/* The phone is back: the recovery (STATE=ok) when it was announced. Returns 1 when rec
 * changed. */
int slot_oncart_returned(struct device_record *rec, const struct port_names *names);

#endif
