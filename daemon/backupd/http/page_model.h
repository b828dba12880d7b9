/* SPDX-License-Identifier: ISC */
/* page_model: what the pages show, from the fleet's records and the [Hub]/[Slot] names:
 * the carts with their slots in order and their counts, the phones no cart holds, and each
 * phone's state as a person at the cart reads it. Pure (no clock, no I/O), so a render
 * costs one pass over the records and never asks a phone anything. */
#ifndef BACKUPD_PAGE_MODEL_H
#define BACKUPD_PAGE_MODEL_H

#include <stddef.h>

#include "device.h"
#include "slot_config.h"
#include "slot_ports.h"

/* What a tile says: word, colour class and shape go together, so no state is told by colour
 * alone. */
enum page_state { PAGE_READY, PAGE_NOT_READY, PAGE_UNKNOWN, PAGE_EMPTY, PAGE_STATE_COUNT };

struct page_state_look {
	const char *word;  /* "Ready" */
	const char *css;   /* "st-ready": colour and border */
	const char *glyph; /* "✓": the shape, also for readers without colour */
};

const struct page_state_look *page_state_look(enum page_state state);

/* A phone's state and the first thing to do, in plain words. fix and reason point into the
 * precondition table and the record (NULL when there is nothing to do). */
struct page_phone {
	enum page_state state;
	const char *fix;
	const char *reason;
};

void page_phone_of(const struct device_record *rec, struct page_phone *out);

struct page_cart {
	const char *name;                              /* the rows' label.cart */
	size_t first, n_slots;                         /* its rows in page_model.rows */
	int ready, not_ready, unknown, empty, missing; /* missing: last phones of empty slots
	                                                  attached nowhere now */
};

struct page_model {
	struct slot_port_row *rows; /* every port, cart order; owned */
	size_t n_rows;
	struct page_cart *carts; /* owned */
	size_t n_carts;
	/* Attached phones on no cart: port not known, or a port no section gives a cart. */
	const struct device_record **loose; /* owned array */
	size_t n_loose;
};

void page_model_build(struct page_model *model, const struct device_record *const *records,
                      size_t n, const struct port_names *names);
void page_model_free(struct page_model *model);
/* The cart of that name, NULL when none. */
const struct page_cart *page_model_cart(const struct page_model *model, const char *name);

#endif
