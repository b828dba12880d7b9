/* SPDX-License-Identifier: ISC */
/* probe_pool.c, issue 21 item 7: a helper whose request cannot be sent is failed from the
 * loop (its deadline, at once), not from inside dispatch. Before, helper_run called
 * helper_failed, which dispatched the next job to the restarted helper, whose send failed in
 * turn: one level of recursion per queued job (and a device reported under the pointers its
 * caller held).
 *
 * Real helper processes (this binary, run as "--probe-helper": it reads its socket and never
 * answers) on a real loop; only the kernel's answer to send is made to fail, by linking with
 * --wrap=send (CMakeLists.txt), the way a helper's socket refuses when its buffer is full or
 * its reader gone. One job holds the only ordinary helper until ProbeTimeout while JOBS more
 * queue; then every send fails. Each queued job must be reported once, as not sent, and every
 * failing send must happen at the same depth of the stack (the old code went JOBS levels
 * deep: several hundred KiB here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <errno.h>
#include <event2/event.h>

#include "probe_pool.h"

#define JOBS             300
#define TIMEOUT_MS       300
#define STACK_SPREAD_MAX 4096 /* bytes between the deepest and shallowest failing send */

static bool fail_sends;
static uintptr_t sp_min = UINTPTR_MAX, sp_max;
static int failed_sends;

ssize_t __real_send(int fd, const void *buf, size_t n, int flags);
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags);

ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags)
{
	if (!fail_sends)
		return __real_send(fd, buf, n, flags);
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	sp_min = sp < sp_min ? sp : sp_min;
	sp_max = sp > sp_max ? sp : sp_max;
	failed_sends++;
	errno = EPIPE;
	return -1;
}

struct outcome {
	int reports, unsent, timed_out;
	char seen[JOBS + 1];
	struct event_base *base;
};

static void done(void *arg, const struct device_facts *facts, int served_by)
{
	(void)served_by;
	struct outcome *o = arg;
	int job = -1;
	o->reports++;
	if (sscanf(facts->udid, "job-%d", &job) == 1 && job >= 0 && job <= JOBS)
		o->seen[job]++;
	o->unsent += strstr(facts->error, "could not send the request") != NULL;
	o->timed_out += facts->status == PROBE_UNRESPONSIVE;
	if (o->reports == JOBS + 1)
		event_base_loopbreak(o->base);
}

static void give_up(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	event_base_loopbreak(arg);
}

static void test_unsent_requests_fail_from_the_loop(void **state)
{
	(void)state;
	struct event_base *base = event_base_new();
	struct outcome o = {.base = base};
	struct probe_pool_options opts = {.workers = 1, .timeout_ms = TIMEOUT_MS};
	struct probe_pool *pool = probe_pool_new(base, &opts, done, &o);
	char udid[32];

	probe_pool_submit(pool, "job-0", -1); /* sent: holds the helper until ProbeTimeout */
	for (int i = 1; i <= JOBS; i++) {
		snprintf(udid, sizeof(udid), "job-%d", i);
		probe_pool_submit(pool, udid, -1);
	}
	assert_int_equal(o.reports, 0);
	fail_sends = true;
	struct event *guard = evtimer_new(base, give_up, base);
	struct timeval limit = {60, 0};
	evtimer_add(guard, &limit);
	event_base_dispatch(base);
	fail_sends = false;

	assert_int_equal(o.reports, JOBS + 1);
	for (int i = 0; i <= JOBS; i++)
		assert_int_equal(o.seen[i], 1); /* each job reported once */
	assert_int_equal(o.timed_out, 1);       /* job-0, past ProbeTimeout */
	assert_int_equal(o.unsent, JOBS);
	assert_true(failed_sends >= JOBS);
	printf("%d failing sends, stack spread %zu bytes\n", failed_sends,
	       (size_t)(sp_max - sp_min));
	assert_true(sp_max - sp_min <= STACK_SPREAD_MAX);
	event_free(guard);
	probe_pool_free(pool);
	event_base_free(base);
}

/* As a helper ("EXE --probe-helper FD PARENT"): read requests, answer none, leave at EOF. */
static int helper_main(void)
{
	char request[16384];
	while (read(3, request, sizeof(request)) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--probe-helper") == 0)
		return helper_main();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unsent_requests_fail_from_the_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
