/* SPDX-License-Identifier: ISC */
/* probe_helper_plain: the probe helper's code built without sanitizers, so that valgrind can
 * run it even in the ASan build CI makes (valgrind and ASan do not mix). Speaks exactly what
 * "backupd --probe-helper FD PARENT" speaks; the daemon runs it through BACKUPD_HELPER_EXE. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "probe_wire.h"

int main(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[1], "--probe-helper") != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	return probe_helper_main(atoi(argv[2]));
}
