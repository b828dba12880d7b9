/* SPDX-License-Identifier: ISC */
/* probe_fdset: the sockets one cached session owns, tracked exactly, so that shutting a flaky
 * phone's sockets never hits a number that now belongs to another phone's session.
 *
 * A socket number that appears while a session's library call runs is that session's. A number
 * that is no longer open, or that appeared during another session's call (so the old one was
 * closed and the number reused), is dropped. No fixed limit. */
#ifndef BACKUPD_PROBE_FDSET_H
#define BACKUPD_PROBE_FDSET_H

#include <stdbool.h>
#include <stddef.h>

struct probe_fdset {
	int *fds;
	size_t count, cap;
};

/* Adds fd unless it is there already. */
void probe_fdset_add(struct probe_fdset *set, int fd);
bool probe_fdset_has(const struct probe_fdset *set, int fd);
/* Drops every fd not in open (sorted, n_open) and every fd in taken (sorted, n_taken). */
void probe_fdset_prune(struct probe_fdset *set, const int *open, size_t n_open, const int *taken,
                       size_t n_taken);
/* Frees the list; the set is empty and reusable after. */
void probe_fdset_clear(struct probe_fdset *set);

#endif
