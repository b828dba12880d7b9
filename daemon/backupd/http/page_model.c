/* SPDX-License-Identifier: ISC */
/* page_model: carts are runs of rows of the same cart (slot_ports sorts them so). */
#include <stdlib.h>
#include <string.h>

#include "page_model.h"
#include "preconditions.h"
#include "xmalloc.h"
#include "precondition.h"

static const struct page_state_look looks[PAGE_STATE_COUNT] = {
    [PAGE_READY] = {"Ready", "st-ready", "\xE2\x9C\x93"},             /* ✓ */
    [PAGE_NOT_READY] = {"Not ready", "st-not-ready", "\xE2\x9C\x95"}, /* ✕ */
    [PAGE_UNKNOWN] = {"Unknown", "st-unknown", "?"},
    [PAGE_EMPTY] = {"Empty", "st-empty", "\xE2\x80\x93"}, /* – */
};

const struct page_state_look *page_state_look(enum page_state state)
{
	return &looks[(unsigned)state < PAGE_STATE_COUNT ? state : PAGE_UNKNOWN];
}

/* The first failing precondition in table order (the table lists them in the order a person
 * fixes them: reach the phone, then its settings, then what follows from those). */
static int first_failing(const struct device_record *rec)
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (rec->verdicts[i].state == VERDICT_FAILING)
			return i;
	return -1;
}

void page_phone_of(const struct device_record *rec, struct page_phone *out)
{
	enum readiness r = verdicts_readiness(rec->verdicts, rec->attached);
	int failing = rec->attached ? first_failing(rec) : -1;
	out->state = r == READINESS_READY       ? PAGE_READY
	             : r == READINESS_NOT_READY ? PAGE_NOT_READY
	                                        : PAGE_UNKNOWN;
	out->fix = NULL;
	out->reason = NULL;
	if (failing >= 0) {
		out->fix = precondition_info((enum precondition_id)failing)->fix;
		out->reason = rec->verdicts[failing].reason;
	} else if (out->state == PAGE_UNKNOWN && rec->attached) {
		/* Not read yet, or a row that must be known is not: its reason says which. */
		for (int i = 0; i < PRECOND_COUNT && !out->reason; i++)
			if (rec->verdicts[i].state == VERDICT_UNKNOWN && rec->verdicts[i].reason[0])
				out->reason = rec->verdicts[i].reason;
	}
}

static bool attached_somewhere(const struct device_record *rec)
{
	return rec != NULL && rec->attached;
}

static void count_row(struct page_cart *cart, const struct slot_port_row *row)
{
	if (row->now == NULL) {
		cart->empty++;
		if (row->last && !attached_somewhere(row->last))
			cart->missing++;
		return;
	}
	struct page_phone phone;
	page_phone_of(row->now, &phone);
	if (phone.state == PAGE_READY)
		cart->ready++;
	else if (phone.state == PAGE_NOT_READY)
		cart->not_ready++;
	else
		cart->unknown++;
}

static void group_carts(struct page_model *m)
{
	m->carts = xcalloc(m->n_rows ? m->n_rows : 1, sizeof(*m->carts));
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct slot_port_row *row = &m->rows[i];
		if (!row->label.configured || !row->label.cart[0])
			continue;
		struct page_cart *cart = m->n_carts ? &m->carts[m->n_carts - 1] : NULL;
		if (!cart || strcmp(cart->name, row->label.cart) != 0) {
			cart = &m->carts[m->n_carts++];
			cart->name = row->label.cart;
			cart->first = i;
		}
		cart->n_slots++;
		count_row(cart, row);
	}
}

void page_model_build(struct page_model *m, const struct device_record *const *records, size_t n,
                      const struct port_names *names)
{
	memset(m, 0, sizeof(*m));
	slot_ports_build(records, n, names, &m->rows, &m->n_rows);
	group_carts(m);
	m->loose = xcalloc(n ? n : 1, sizeof(*m->loose));
	for (size_t i = 0; i < n; i++)
		if (records[i]->attached && !records[i]->slot.port_path[0])
			m->loose[m->n_loose++] = records[i];
	for (size_t i = 0; i < m->n_rows; i++)
		if (m->rows[i].now && !(m->rows[i].label.configured && m->rows[i].label.cart[0]))
			m->loose[m->n_loose++] = m->rows[i].now;
}

void page_model_free(struct page_model *m)
{
	free(m->rows);
	free(m->carts);
	free(m->loose);
	memset(m, 0, sizeof(*m));
}

const struct page_cart *page_model_cart(const struct page_model *m, const char *name)
{
	for (size_t i = 0; i < m->n_carts; i++)
		if (strcmp(m->carts[i].name, name) == 0)
			return &m->carts[i];
	return NULL;
}
