/* SPDX-License-Identifier: ISC */
/* Exact socket lists per session. See probe_fdset.h. */
#include <stdlib.h>

#include "probe_fdset.h"
#include "xmalloc.h"

static int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static bool sorted_has(const int *fds, size_t n, int fd)
{
	return n > 0 && bsearch(&fd, fds, n, sizeof(*fds), compare_int) != NULL;
}

bool probe_fdset_has(const struct probe_fdset *set, int fd)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->fds[i] == fd)
			return true;
	return false;
}

void probe_fdset_add(struct probe_fdset *set, int fd)
{
	if (probe_fdset_has(set, fd))
		return;
	if (set->count == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 4;
		set->fds = xreallocarray(set->fds, set->cap, sizeof(*set->fds));
	}
	set->fds[set->count++] = fd;
}

void probe_fdset_prune(struct probe_fdset *set, const int *open, size_t n_open, const int *taken,
                       size_t n_taken)
{
	size_t kept = 0;
	for (size_t i = 0; i < set->count; i++) {
		int fd = set->fds[i];
		if (sorted_has(open, n_open, fd) && !sorted_has(taken, n_taken, fd))
			set->fds[kept++] = fd;
	}
	set->count = kept;
}

void probe_fdset_clear(struct probe_fdset *set)
{
	free(set->fds);
	*set = (struct probe_fdset){0};
}
