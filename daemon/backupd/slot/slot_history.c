/* SPDX-License-Identifier: ISC */
/* slot_history: newest-first rings of visits and observations inside a slot_record. */
#include <string.h>

#include "slot_history.h"
#include "xmalloc.h"

/* Makes room at the front of a newest-first array of cap elements of size bytes. */
static void push_front(void *array, int *n, int cap, size_t size)
{
	int keep = *n < cap ? *n : cap - 1;
	memmove((char *)array + size, array, (size_t)keep * size);
	memset(array, 0, size);
	*n = keep + 1;
}

void slot_history_found(struct slot_record *rec, const char *port_path, int speed_mbps,
                        int64_t now_unix)
{
	strlcpy_safe(rec->port_path, port_path, sizeof(rec->port_path));
	rec->speed_mbps = speed_mbps;
	struct slot_visit *last = rec->n_visits ? &rec->visits[0] : NULL;
	if (last && last->until_unix == 0 && strcmp(last->port_path, port_path) == 0)
		return;
	if (last && last->until_unix == 0)
		last->until_unix = now_unix; /* moved without a detach seen */
	push_front(rec->visits, &rec->n_visits, SLOT_VISITS, sizeof(rec->visits[0]));
	strlcpy_safe(rec->visits[0].port_path, port_path, sizeof(rec->visits[0].port_path));
	rec->visits[0].since_unix = now_unix;
}

void slot_history_detached(struct slot_record *rec, int64_t now_unix)
{
	if (rec->n_visits && rec->visits[0].until_unix == 0)
		rec->visits[0].until_unix = now_unix;
	rec->port_path[0] = '\0';
	rec->speed_mbps = 0;
}

int slot_history_observe(struct slot_record *rec, enum verdict_state power, int64_t now_unix)
{
	if (!rec->port_path[0] || power == VERDICT_UNKNOWN)
		return 0;
	int seen = power == VERDICT_OK ? CHARGE_SEEN_OK : CHARGE_SEEN_CANNOT;
	struct charge_observation *last = rec->n_observations ? &rec->observations[0] : NULL;
	if (last && last->seen == seen && strcmp(last->port_path, rec->port_path) == 0) {
		last->at_unix = now_unix;
		return 0;
	}
	push_front(rec->observations, &rec->n_observations, SLOT_OBSERVATIONS,
	           sizeof(rec->observations[0]));
	struct charge_observation *o = &rec->observations[0];
	strlcpy_safe(o->port_path, rec->port_path, sizeof(o->port_path));
	o->seen = seen;
	o->since_unix = o->at_unix = now_unix;
	return 1;
}

const struct slot_visit *slot_history_last_visit(const struct slot_record *rec)
{
	return rec->n_visits ? &rec->visits[0] : NULL;
}
