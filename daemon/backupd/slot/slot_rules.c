/* SPDX-License-Identifier: ISC */
/* slot_rules: a port is blamed when two or more phones could not charge in it (since anyone
 * last charged there) and those phones charge elsewhere; a phone is blamed when it could not
 * charge in two or more ports where other phones charge. Phone blame is checked first: a
 * broken phone is not evidence against the ports it visits. */
#include <string.h>

#include "slot_rules.h"
#include "xmalloc.h"

/* The phone's newest observation in port, NULL when none. */
static const struct charge_observation *newest_at(const struct slot_record *rec, const char *port)
{
	for (int i = 0; i < rec->n_observations; i++)
		if (strcmp(rec->observations[i].port_path, port) == 0)
			return &rec->observations[i];
	return NULL;
}

static int charged_elsewhere(const struct slot_record *rec, const char *port)
{
	for (int i = 0; i < rec->n_observations; i++)
		if (rec->observations[i].seen == CHARGE_SEEN_OK &&
		    strcmp(rec->observations[i].port_path, port) != 0)
			return 1;
	return 0;
}

/* Newest time any phone other than skip charged in port (0 = never). */
static int64_t last_charge_in(const struct slot_evidence *ev, size_t n, const char *port,
                              size_t skip)
{
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == skip)
			continue;
		for (int k = 0; k < ev[i].slot->n_observations; k++) {
			const struct charge_observation *o = &ev[i].slot->observations[k];
			if (o->seen == CHARGE_SEEN_OK && strcmp(o->port_path, port) == 0 &&
			    o->at_unix > last)
				last = o->at_unix;
		}
	}
	return last;
}

/* Ports where self's newest observation is "cannot" and another phone charged. */
static void judge_phone(const struct slot_evidence *ev, size_t n, size_t self,
                        struct slot_judgement *out)
{
	const struct slot_record *rec = ev[self].slot;
	for (int i = 0; i < rec->n_observations && out->n_ports < SLOT_RULES_NAMED; i++) {
		const struct charge_observation *o = &rec->observations[i];
		if (newest_at(rec, o->port_path) != o || o->seen != CHARGE_SEEN_CANNOT ||
		    !last_charge_in(ev, n, o->port_path, self))
			continue;
		strlcpy_safe(out->ports[out->n_ports++], o->port_path, PORT_PATH_MAX);
	}
	if (out->n_ports >= 2)
		out->blame = SLOT_BLAME_PHONE;
	else
		out->n_ports = 0;
}

/* Phone i could not charge in port after anyone last charged there, and charges elsewhere. */
static const struct charge_observation *fails_only_here(const struct slot_evidence *ev, size_t n,
                                                        size_t i, const char *port)
{
	const struct charge_observation *o = newest_at(ev[i].slot, port);
	if (!o || o->seen != CHARGE_SEEN_CANNOT || !charged_elsewhere(ev[i].slot, port))
		return NULL;
	return last_charge_in(ev, n, port, i) > o->since_unix ? NULL : o;
}

static void judge_slot(const struct slot_evidence *ev, size_t n, size_t self,
                       struct slot_judgement *out)
{
	const char *port = ev[self].slot->observations[0].port_path;
	const struct charge_observation *mine = fails_only_here(ev, n, self, port);
	int counted = mine != NULL;
	int told = mine && mine->slot_told;
	for (size_t i = 0; i < n; i++) {
		const struct charge_observation *o =
		    i == self ? NULL : fails_only_here(ev, n, i, port);
		if (!o)
			continue;
		counted++;
		told |= o->slot_told;
		if (out->n_others < SLOT_RULES_NAMED)
			out->others[out->n_others++] = i;
	}
	/* This phone may be new and never charged elsewhere: two others then carry the case. */
	if (counted < 2 || out->n_others < 1) {
		out->n_others = 0;
		return;
	}
	out->blame = SLOT_BLAME_SLOT;
	out->already_told = told;
	strlcpy_safe(out->port_path, port, sizeof(out->port_path));
}

void slot_rules_judge(const struct slot_evidence *evidence, size_t n, size_t self,
                      struct slot_judgement *out)
{
	memset(out, 0, sizeof(*out));
	const struct slot_record *rec = evidence[self].slot;
	if (!rec->n_observations || rec->observations[0].seen != CHARGE_SEEN_CANNOT)
		return;
	judge_phone(evidence, n, self, out);
	if (out->blame == SLOT_BLAME_NONE)
		judge_slot(evidence, n, self, out);
}
