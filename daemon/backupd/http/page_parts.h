/* SPDX-License-Identifier: ISC */
/* page_parts: the pieces several pages show: a slot's tile, a phone in a list, a cart's
 * counts, Apple's service line, and the links to a cart and a phone. Everything raw goes
 * through page_escape. */
#ifndef BACKUPD_PAGE_PARTS_H
#define BACKUPD_PAGE_PARTS_H

#include <stdint.h>

#include "device.h"
#include "metrics_text.h"
#include "page_model.h"
#include "preconditions.h"

/* "/cart/NAME" and "/phone/UDID", each segment escaped for a URL. */
void page_cart_href(struct metrics_text *out, const char *cart);
void page_phone_href(struct metrics_text *out, const char *udid);
/* The phone's name, or its UDID when it never told one. */
const char *page_phone_name(const struct device_record *rec);

/* One <li> tile: the slot, its phone's state (word, colour, shape), name and first fix; or
 * "Empty" and the phone that was last there. */
void page_tile(struct metrics_text *out, const struct slot_port_row *row);
/* One <li> for a phone outside the cart grid (slot not known, or on no cart). */
void page_phone_item(struct metrics_text *out, const struct device_record *rec);
/* <dl> of ready / not ready / unknown / empty slots / missing phones. */
void page_counts(struct metrics_text *out, const struct page_cart *cart);
/* Apple's iCloud Backup status, as the rules judge the status feed. */
void page_service(struct metrics_text *out, const struct verdict *service);
/* The state badge and word, for tables: <span class=badge>…</span> Word. */
void page_state_mark(struct metrics_text *out, enum page_state state);

#endif
