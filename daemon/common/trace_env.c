/* SPDX-License-Identifier: ISC */
/* trace_env: see trace_env.h. */
#include <stdlib.h>
#include <string.h>

#include "trace_env.h"

bool trace_env_on(void)
{
	const char *env = getenv("BACKUPD_TRACE");
	/* "loop" alone is the loop tick only: its figures must not carry the others' writes */
	return env && *env && strcmp(env, "0") != 0 && strcmp(env, "loop") != 0;
}

bool trace_env_wants(const char *word)
{
	const char *env = getenv("BACKUPD_TRACE");
	size_t n = strlen(word);
	for (const char *p = env; p && *p; p += strcspn(p, ",")) {
		p += *p == ',';
		if (strncmp(p, word, n) == 0 && (p[n] == '\0' || p[n] == ','))
			return true;
	}
	return false;
}
