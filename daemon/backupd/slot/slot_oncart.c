/* SPDX-License-Identifier: ISC */
/* slot_oncart: the two journal entries (device.off_cart failing / ok). */
#include <stdio.h>

#include "daily_window.h"
#include "humanize.h"
#include "journal.h"
#include "message_ids.h"
#include "slot_history.h"
#include "slot_names.h"
#include "slot_oncart.h"

static void tell(const struct device_record *rec, const struct port_names *names, bool back,
                 int64_t now_unix)
{
	const struct slot_visit *last = slot_history_last_visit(&rec->slot);
	char label[96] = "", message[300], slot_field[128], seen_field[48], ago[32];
	if (last) {
		struct slot_label l;
		slot_names_resolve(names, last->port_path, &l);
		slot_label_text(&l, last->port_path, label, sizeof(label));
	}
	const char *who = rec->facts.name[0] ? rec->facts.name : rec->udid;
	if (back)
		snprintf(message, sizeof(message), "%s is back on the cart", who);
	else
		snprintf(message, sizeof(message),
		         "%s is not on the cart: last in %s, last seen %s", who,
		         label[0] ? label : "an unknown slot",
		         humanize_ago(rec->last_seen_unix, now_unix, ago, sizeof(ago)));
	snprintf(slot_field, sizeof(slot_field), "LAST_SLOT=%s", label[0] ? label : "unknown");
	snprintf(seen_field, sizeof(seen_field), "LAST_SEEN=%lld", (long long)rec->last_seen_unix);
	struct journal_entry entry = {
	    .message_id = message_id(MSG_DEVICE_OFF_CART),
	    .priority = back ? LOG_NOTICE : LOG_WARNING,
	    .message = message,
	    .device_udid = rec->udid,
	    .device_name = rec->facts.name,
	    .state = back ? "ok" : "failing",
	    .extra = {slot_field, seen_field},
	};
	journal_emit(&entry);
}

int slot_oncart_check(struct device_record *rec, const char *window_text,
                      const struct port_names *names, int64_t now_unix)
{
	struct daily_window hours;
	if (rec->attached || rec->slot.off_cart_told_unix || !window_text[0] ||
	    daily_window_parse(window_text, &hours) < 0)
		return 0;
	int minute = daily_window_local_minute(now_unix);
	if (minute < 0 || !daily_window_inside(&hours, minute))
		return 0;
	tell(rec, names, false, now_unix);
	rec->slot.off_cart_told_unix = now_unix;
	return 1;
}

int slot_oncart_returned(struct device_record *rec, const struct port_names *names)
{
	if (!rec->slot.off_cart_told_unix)
		return 0;
	tell(rec, names, true, rec->last_seen_unix);
	rec->slot.off_cart_told_unix = 0;
	return 1;
}
