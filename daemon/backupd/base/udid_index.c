/* SPDX-License-Identifier: ISC */
/* udid_index: open addressing from a UDID to a pointer (udid_index.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "udid_index.h"
#include "xmalloc.h"

#define INITIAL_SLOTS 64 /* a power of two */

struct slot {
	const char *key; /* NULL = empty */
	void *value;
	uint64_t hash;
};

struct udid_index {
	struct slot *slots;
	size_t n_slots; /* a power of two, kept at most half full */
	size_t count;
	uint64_t seed;
};

/* FNV-1a over the seed and the key, then a final mix (splitmix64) so low bits spread. */
static uint64_t hash_key(uint64_t seed, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		h = (h ^ *c) * 0x100000001b3ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

struct udid_index *udid_index_new(void)
{
	struct udid_index *index = xcalloc(1, sizeof(*index));
	index->n_slots = INITIAL_SLOTS;
	index->slots = xcalloc(index->n_slots, sizeof(*index->slots));
	if (getrandom(&index->seed, sizeof(index->seed), GRND_NONBLOCK) != sizeof(index->seed))
		index->seed = (uint64_t)(uintptr_t)index; /* no entropy yet: still not a constant */
	return index;
}

void udid_index_free(struct udid_index *index)
{
	if (!index)
		return;
	free(index->slots);
	free(index);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const struct udid_index *index, const char *key, uint64_t hash)
{
	size_t mask = index->n_slots - 1;
	size_t i = hash & mask;
	while (index->slots[i].key &&
	       (index->slots[i].hash != hash || strcmp(index->slots[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

static void grow(struct udid_index *index)
{
	struct slot *old = index->slots;
	size_t old_n = index->n_slots;
	index->n_slots *= 2;
	index->slots = xcalloc(index->n_slots, sizeof(*index->slots));
	for (size_t i = 0; i < old_n; i++)
		if (old[i].key)
			index->slots[find_slot(index, old[i].key, old[i].hash)] = old[i];
	free(old);
}

void udid_index_put(struct udid_index *index, const char *key, void *value)
{
	if ((index->count + 1) * 2 > index->n_slots)
		grow(index);
	uint64_t hash = hash_key(index->seed, key);
	struct slot *slot = &index->slots[find_slot(index, key, hash)];
	if (!slot->key)
		index->count++;
	*slot = (struct slot){key, value, hash};
}

void *udid_index_get(const struct udid_index *index, const char *key)
{
	const struct slot *slot = &index->slots[find_slot(index, key, hash_key(index->seed, key))];
	return slot->key ? slot->value : NULL;
}

/* True when the entry at `at`, whose home slot is `home`, may move into the hole `hole`:
 * the hole lies cyclically in [home, at). */
static bool may_fill(size_t home, size_t hole, size_t at)
{
	if (home <= at)
		return home <= hole && hole < at;
	return home <= hole || hole < at;
}

void udid_index_remove(struct udid_index *index, const char *key)
{
	size_t mask = index->n_slots - 1;
	size_t hole = find_slot(index, key, hash_key(index->seed, key));
	if (!index->slots[hole].key)
		return;
	index->slots[hole].key = NULL;
	index->count--;
	/* Backward shift: pull later entries of the chain into the hole so every lookup still
	 * reaches its key before an empty slot. */
	for (size_t at = (hole + 1) & mask; index->slots[at].key; at = (at + 1) & mask) {
		size_t home = index->slots[at].hash & mask;
		if (!may_fill(home, hole, at))
			continue;
		index->slots[hole] = index->slots[at];
		index->slots[at].key = NULL;
		hole = at;
	}
}

size_t udid_index_count(const struct udid_index *index)
{
	return index->count;
}
