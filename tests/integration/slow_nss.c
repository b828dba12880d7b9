/* SPDX-License-Identifier: ISC */
/* slow_nss: an LD_PRELOAD stand-in for a slow NSS source (LDAP, sssd): getgrnam_r and
 * getgrgid_r wait SLOW_NSS_MS milliseconds, then answer as the real ones do. Used to show
 * that backupd never looks a group up on its event loop. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <grp.h>
#include <stdlib.h>
#include <time.h>

typedef int (*by_name_fn)(const char *, struct group *, char *, size_t, struct group **);
typedef int (*by_gid_fn)(gid_t, struct group *, char *, size_t, struct group **);

static void wait_a_while(void)
{
	const char *ms = getenv("SLOW_NSS_MS");
	long n = ms ? atol(ms) : 3000;
	struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int getgrnam_r(const char *name, struct group *grp, char *buf, size_t len, struct group **result)
{
	by_name_fn real = (by_name_fn)dlsym(RTLD_NEXT, "getgrnam_r");
	wait_a_while();
	return real(name, grp, buf, len, result);
}

int getgrgid_r(gid_t gid, struct group *grp, char *buf, size_t len, struct group **result)
{
	by_gid_fn real = (by_gid_fn)dlsym(RTLD_NEXT, "getgrgid_r");
	wait_a_while();
	return real(gid, grp, buf, len, result);
}
