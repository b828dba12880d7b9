/* SPDX-License-Identifier: ISC */
/* thread_start: see thread_start.h. */
#include <signal.h>

#include "thread_start.h"

int thread_start(pthread_t *thread, const pthread_attr_t *attr, void *(*main_fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(thread, attr, main_fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
