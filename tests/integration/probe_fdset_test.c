/* SPDX-License-Identifier: ISC */
/* probe_fdset: a session's socket list holds each socket once, loses closed ones and numbers
 * reused by another session, and has no fixed limit (issue 10: a list of 8 that kept closed
 * and duplicate fds could shut down another phone's socket). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_fdset.h"
#include "probe_watchdog.h"

#include "probe_check.h"

static void test_once_and_unbounded(void)
{
	struct probe_fdset set = {0};
	probe_fdset_add(&set, 7);
	probe_fdset_add(&set, 7);
	CHECK(set.count == 1);
	for (int fd = 100; fd < 140; fd++)
		probe_fdset_add(&set, fd);
	CHECK(set.count == 41 && probe_fdset_has(&set, 139));
	probe_fdset_clear(&set);
	CHECK(set.count == 0 && set.fds == NULL);
}

/* Real sockets: session A's socket is closed, its number is reused by session B. */
static void test_closed_and_reused(void)
{
	struct probe_fdset a = {0}, b = {0};
	int pair[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
	probe_fdset_add(&a, pair[0]);
	probe_fdset_add(&a, pair[1]);
	close(pair[1]);
	int open_now[PROBE_FDS_MAX];
	size_t n = probe_fds_sockets(open_now, PROBE_FDS_MAX);
	probe_fdset_prune(&a, open_now, n, NULL, 0);
	CHECK(a.count == 1 && probe_fdset_has(&a, pair[0]) && !probe_fdset_has(&a, pair[1]));

	/* B's call opens a socket that gets A's old number: it is B's now, not A's. */
	int reused[2];
	close(pair[0]);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, reused) == 0);
	CHECK(reused[0] == pair[0] || reused[1] == pair[0]);
	n = probe_fds_sockets(open_now, PROBE_FDS_MAX);
	int taken[2] = {reused[0] < reused[1] ? reused[0] : reused[1],
	                reused[0] < reused[1] ? reused[1] : reused[0]};
	probe_fdset_prune(&a, open_now, n, taken, 2);
	probe_fdset_add(&b, reused[0]);
	probe_fdset_add(&b, reused[1]);
	CHECK(a.count == 0);
	CHECK(b.count == 2);
	close(reused[0]);
	close(reused[1]);
	probe_fdset_clear(&a);
	probe_fdset_clear(&b);
}

int main(void)
{
	test_once_and_unbounded();
	test_closed_and_reused();
	printf("probe_fdset_test: ok\n");
	return 0;
}
