/* SPDX-License-Identifier: ISC */
/* trace_env: see trace_env.h. */
#include <stdlib.h>
#include <string.h>

#include "trace_env.h"

bool trace_env_on(void)
{
	const char *env = getenv("BACKUPD_TRACE");
	return env && *env && strcmp(env, "0") != 0;
}
