/* SPDX-License-Identifier: ISC */
/* thread_start: see thread_start.h. */
#include <signal.h>
#include <stddef.h>

#include "thread_start.h"

static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

int thread_start(pthread_t *thread, const pthread_attr_t *attr, void *(*main_fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	/* A fault stays the faulting thread's: blocked, the kernel would kill the process without
	 * running the sanitizers' or the default handler's report. */
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(thread, attr, main_fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
