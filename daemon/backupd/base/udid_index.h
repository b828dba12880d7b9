/* SPDX-License-Identifier: ISC */
/* udid_index: the fleet's lookup from a UDID to its record, O(1) at any fleet size. Open
 * addressing with linear probing and backward-shift deletion (no tombstones), so removals
 * (forgetting) leave no residue; the hash is seeded per index from getrandom(), so UDIDs
 * chosen by a USB gadget cannot be lined up into one long probe chain in advance. */
#ifndef BACKUPD_UDID_INDEX_H
#define BACKUPD_UDID_INDEX_H

#include <stddef.h>

struct udid_index;

struct udid_index *udid_index_new(void);
void udid_index_free(struct udid_index *index);

/* key must stay valid and unchanged while it is in the index (the record's own udid field);
 * a key already present gets the new value. */
void udid_index_put(struct udid_index *index, const char *key, void *value);
/* NULL when key is not in the index. */
void *udid_index_get(const struct udid_index *index, const char *key);
/* Removes key if present. */
void udid_index_remove(struct udid_index *index, const char *key);
size_t udid_index_count(const struct udid_index *index);

#endif
