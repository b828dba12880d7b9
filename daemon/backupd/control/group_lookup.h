/* SPDX-License-Identifier: ISC */
/* group_lookup: a group name resolved off the loop. getgrnam_r can wait on NSS (LDAP, sssd)
 * as long as it likes, so each lookup runs on a detached thread and its answer is handed to
 * the loop; a lookup asked for while one runs is done after it (the latest name wins). Free
 * never waits: a thread still in NSS then finds its answer unwanted and drops it. */
#ifndef BACKUPD_GROUP_LOOKUP_H
#define BACKUPD_GROUP_LOOKUP_H

#include <stdbool.h>
#include <sys/types.h>

struct event_base;
struct group_lookup;

/* On the loop: name's answer; found false when no such group (or no thread to ask with). */
typedef void (*group_lookup_done_fn)(void *arg, const char *name, bool found, gid_t gid);

struct group_lookup *group_lookup_new(struct event_base *base, group_lookup_done_fn done,
                                      void *arg);
/* Looks name up (never "": the caller knows that means no group). */
void group_lookup_start(struct group_lookup *lookup, const char *name);
/* Whether a lookup is under way or waiting. */
bool group_lookup_busy(const struct group_lookup *lookup);
void group_lookup_free(struct group_lookup *lookup);

#endif
