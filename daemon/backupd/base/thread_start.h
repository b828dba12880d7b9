/* SPDX-License-Identifier: ISC */
/* thread_start: every thread of the daemon but the loop's starts with all signals blocked, so
 * SIGTERM, SIGHUP and SIGCHLD are always the loop's to take (libevent's handlers write to its
 * own socket) and never interrupt a worker's read, write, fsync or parse. */
#ifndef BACKUPD_THREAD_START_H
#define BACKUPD_THREAD_START_H

#include <pthread.h>

/* pthread_create with every signal blocked in the new thread; the caller's mask is kept. */
int thread_start(pthread_t *thread, const pthread_attr_t *attr, void *(*main_fn)(void *),
                 void *arg);

#endif
