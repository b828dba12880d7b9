/* SPDX-License-Identifier: ISC */
/* A failed check prints where and exits 1: the probe tests' only assertion. */
#ifndef BACKUPD_PROBE_CHECK_H
#define BACKUPD_PROBE_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#endif
