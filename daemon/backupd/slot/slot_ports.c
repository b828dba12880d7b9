/* SPDX-License-Identifier: ISC */
/* slot_ports: every (port, phone) fact sorted by port, then one row per run: n log n, so a
 * 1000-phone fleet with eight visits each costs milliseconds, not a scan per visit. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "slot_ports.h"
#include "xmalloc.h"

struct fact {
	const char *port_path;
	const struct device_record *rec;
	size_t order; /* record index, then visit: ties go to the later, as they always did */
	bool now;     /* attached in it now */
	int64_t since, until; /* a visit; until 0 = still there */
};

struct facts {
	struct fact *fact;
	size_t n, cap;
};

static void add(struct facts *f, const struct fact *one)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->fact = xreallocarray(f->fact, f->cap, sizeof(*f->fact));
	}
	f->fact[f->n++] = *one;
}

static void add_device(struct facts *f, const struct device_record *rec, size_t index)
{
	size_t order = index * (SLOT_VISITS + 1);
	if (rec->attached && rec->slot.port_path[0])
		add(f, &(struct fact){rec->slot.port_path, rec, order, true, 0, 0});
	for (int v = 0; v < rec->slot.n_visits; v++) {
		const struct slot_visit *visit = &rec->slot.visits[v];
		add(f, &(struct fact){visit->port_path, rec, order + 1 + (size_t)v, false,
		                      visit->since_unix, visit->until_unix});
	}
}

static int compare_facts(const void *a, const void *b)
{
	const struct fact *x = a, *y = b;
	int c = strcmp(x->port_path, y->port_path);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int compare_rows(const void *a, const void *b)
{
	const struct slot_port_row *x = a, *y = b;
	return slot_label_compare(&x->label, x->port_path, &y->label, y->port_path);
}

static void take(struct slot_port_row *row, const struct fact *fact)
{
	if (fact->now)
		row->now = fact->rec;
	else if (fact->until && fact->until >= row->last_until) {
		row->last = fact->rec;
		row->last_until = fact->until;
		row->last_since = fact->since;
	}
}

void slot_ports_build(const struct device_record *const *devices, size_t n,
                      const struct port_names *names, struct slot_port_row **out, size_t *n_out)
{
	struct facts f = {0};
	for (size_t i = 0; i < n; i++)
		add_device(&f, devices[i], i);
	if (f.n)
		qsort(f.fact, f.n, sizeof(*f.fact), compare_facts);
	struct slot_port_row *rows = xcalloc(f.n ? f.n : 1, sizeof(*rows));
	size_t n_rows = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (i == 0 || strcmp(f.fact[i].port_path, f.fact[i - 1].port_path) != 0) {
			rows[n_rows].port_path = f.fact[i].port_path;
			slot_names_resolve(names, f.fact[i].port_path, &rows[n_rows].label);
			n_rows++;
		}
		take(&rows[n_rows - 1], &f.fact[i]);
	}
	free(f.fact);
	if (n_rows)
		qsort(rows, n_rows, sizeof(*rows), compare_rows);
	*out = rows;
	*n_out = n_rows;
}
