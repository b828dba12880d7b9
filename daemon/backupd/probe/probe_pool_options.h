/* SPDX-License-Identifier: ISC */
/* probe_pool_options: how the probe pool is sized and timed, apart from probe_pool.h so that
 * the pool's private state (probe_pool_state.h) needs none of its public functions. */
#ifndef BACKUPD_PROBE_POOL_OPTIONS_H
#define BACKUPD_PROBE_POOL_OPTIONS_H

#include <stdint.h>

struct probe_pool_options {
	int workers;        /* helper processes, sized for waiting, not for cores */
	int64_t timeout_ms; /* ProbeTimeout: past it the helper is killed */
	const char
	    *helper_exe; /* executable run as "EXE --probe-helper FD"; NULL = /proc/self/exe */
};

#endif
