/* SPDX-License-Identifier: ISC */
/* slot_power: evidence from the records, judgement by slot_rules, words for the verdict. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "message_ids.h"
#include "slot_history.h"
#include "slot_names.h"
#include "slot_power.h"
#include "slot_rules.h"
#include "xmalloc.h"

/* A reason longer than the verdict holds is cut: the journal entry carries the whole text. */
static void set_reason(struct verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_reason(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

static const char *phone_name(const struct device_record *rec)
{
	return rec->facts.name[0] ? rec->facts.name : rec->udid;
}

static const char *label_of(const struct port_names *names, const char *port, char *buf,
                            size_t size)
{
	struct slot_label label;
	slot_names_resolve(names, port, &label);
	return slot_label_text(&label, port, buf, size);
}

/* "Loaner 12, Loaner 3" */
static void join_others(const struct slot_judgement *j, const struct device_record *const *all,
                        char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < j->n_others && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                         phone_name(all[j->others[i]]));
}

static void tell_slot(const struct device_record *self, const char *label, const char *port,
                      const char *others)
{
	char message[400], port_field[64], slot_field[128];
	snprintf(message, sizeof(message),
	         "USB port %s cannot charge: %s and %s could not charge there and charge "
	         "elsewhere; replace the cable or the hub port",
	         label, phone_name(self), others);
	snprintf(port_field, sizeof(port_field), "PORT_PATH=%s", port);
	snprintf(slot_field, sizeof(slot_field), "SLOT=%s", label);
	struct journal_entry entry = {
	    .message_id = message_id(MSG_SLOT_CANNOT_CHARGE),
	    .priority = LOG_WARNING,
	    .message = message,
	    .device_udid = self->udid,
	    .device_name = self->facts.name,
	    .precondition = "power",
	    .state = "failing",
	    .extra = {port_field, slot_field},
	};
	journal_emit(&entry);
}

static int apply(struct device_record *self, const struct device_record *const *all,
                 const struct port_names *names, const struct slot_judgement *j,
                 struct verdict *power)
{
	char a[96], b[96], others[160];
	if (j->blame == SLOT_BLAME_PHONE) {
		set_reason(power,
		           "cannot charge in %s or %s, where other phones charge: the phone's "
		           "connector or battery",
		           label_of(names, j->ports[0], a, sizeof(a)),
		           label_of(names, j->ports[1], b, sizeof(b)));
		return 0;
	}
	label_of(names, j->port_path, a, sizeof(a));
	join_others(j, all, others, sizeof(others));
	set_reason(power, "slot %s cannot charge: also seen with %s", a, others);
	if (j->already_told)
		return 0;
	tell_slot(self, a, j->port_path, others);
	self->slot.observations[0].slot_told = 1;
	return 1;
}

int slot_power_judge(struct device_record *self, bool probed_here,
                     const struct device_record *const *all, size_t n,
                     const struct port_names *names, struct verdict *power, int64_t now_unix)
{
	int changed = 0;
	if (probed_here && self->facts.status == PROBE_OK)
		changed = slot_history_observe(&self->slot, power->state, now_unix);
	if (power->state != VERDICT_FAILING || !self->slot.port_path[0])
		return changed;
	struct slot_evidence *evidence = xcalloc(n ? n : 1, sizeof(*evidence));
	size_t me = n;
	for (size_t i = 0; i < n; i++) {
		evidence[i] = (struct slot_evidence){all[i]->udid, &all[i]->slot};
		if (all[i] == self)
			me = i;
	}
	struct slot_judgement j;
	if (me < n) {
		slot_rules_judge(evidence, n, me, &j);
		if (j.blame != SLOT_BLAME_NONE)
			changed |= apply(self, all, names, &j, power);
	}
	free(evidence);
	return changed;
}
