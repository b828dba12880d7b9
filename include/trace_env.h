/* SPDX-License-Identifier: ISC */
/* BACKUPD_TRACE: whether the daemon and its helpers write their timing lines
 * ("backupd-trace ...") to stderr for the benchmarks (tests/bench/trace_summary.sh,
 * tests/bench/recovery_summary.sh). Set and not "0": on. */
#ifndef BACKUPD_TRACE_ENV_H
#define BACKUPD_TRACE_ENV_H

#include <stdbool.h>

bool trace_env_on(void);
/* Whether BACKUPD_TRACE's comma-separated words include word: "loop" asks for the event
 * loop's stall ticks (daemon/backupd/base/loop_trace.h) and nothing else, "1,loop" for both. */
bool trace_env_wants(const char *word);

#endif
