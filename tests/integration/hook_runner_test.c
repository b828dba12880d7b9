/* SPDX-License-Identifier: ISC */
/* The alert command runner on a real event loop with real children (hook_runner.c,
 * hook_spawn.c): a burst of alerts starts no command in the turn that raised it (one start per
 * turn, from the kick and SIGCHLD only); a command that floods its stderr has the read end
 * closed at HOOK_STDERR_MAX and ends by SIGPIPE long before its timeout ("stderr cut"); what a
 * command leaves running in the background is killed when it ends; a run's result names the
 * command it was started with even after a reload changed AlertCommand. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "alert.h"
#include "clock.h"
#include "config.h"
#include "hook_runner.h"
#include "journal.h"

/* To stdout: this test sends stderr (the journal lines) to a file it reads. */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stdout, "hook_runner_test: %s:%d: %s\n", __FILE__, __LINE__, #c);  \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static char dir[64], log_path[128];

struct run {
	struct event_base *base;
	struct hook_runner *runner;
	struct alert_consumer consumer; /* the runner's, as the daemon wires it to the fleet */
	struct backupd_config config;
	struct device_record *recs;
	int n;
	uint64_t running_in_burst_turn;
	const char *reload_to; /* AlertCommand after the burst turn, NULL = no reload */
	struct hook_stats stats;
	int64_t took_ms;
};

static void burst(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;
	struct verdict verdicts[PRECOND_COUNT] = {0};
	struct hook_stats stats;
	const struct alert_sink sink = {NULL, NULL, &r->consumer};

	(void)fd;
	(void)what;
	for (int i = 0; i < PRECOND_COUNT; i++)
		verdicts[i].state = VERDICT_UNKNOWN;
	verdicts[PRECOND_BACKUP_ENABLED].state = VERDICT_FAILING;
	strcpy(verdicts[PRECOND_BACKUP_ENABLED].reason, "iCloud Backup is off");
	for (int i = 0; i < r->n; i++)
		alert_device_verdicts(&r->recs[i], verdicts, clock_wall_unix(), 0, &sink);
	hook_runner_stats(r->runner, &stats);
	r->running_in_burst_turn = stats.running;
}

static void reload(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;

	(void)fd;
	(void)what;
	snprintf(r->config.alert_command, sizeof(r->config.alert_command), "%s", r->reload_to);
	hook_runner_reconfigure(r->runner, &r->config);
}

static void watch(evutil_socket_t fd, short what, void *arg)
{
	struct run *r = arg;
	uint64_t ended;

	(void)fd;
	(void)what;
	hook_runner_stats(r->runner, &r->stats);
	ended = r->stats.dropped;
	for (int i = 0; i < HOOK_RESULT_COUNT; i++)
		ended += r->stats.runs[i];
	if (ended >= (uint64_t)r->n)
		event_base_loopbreak(r->base);
}

/* n phones start failing in one loop turn; runs until every command has ended (or 20 s). */
static void run_burst(struct run *r, int n, const char *command, int jobs, int64_t timeout_ms)
{
	struct timeval soon = clock_timeval_ms(20), later = clock_timeval_ms(300);
	struct timeval every = clock_timeval_ms(10), limit = clock_timeval_ms(20000);

	memset(r->stats.runs, 0, sizeof(r->stats.runs));
	config_defaults(&r->config);
	snprintf(r->config.alert_command, sizeof(r->config.alert_command), "%s", command);
	r->config.alert_command_jobs = jobs;
	r->config.alert_command_queue = n;
	r->config.alert_command_timeout_ms = timeout_ms;
	r->n = n;
	r->base = event_base_new();
	r->runner = hook_runner_new(r->base, &r->config);
	r->consumer = hook_runner_consumer(r->runner);
	r->recs = calloc((size_t)n, sizeof(*r->recs));
	for (int i = 0; i < n; i++) {
		snprintf(r->recs[i].udid, sizeof(r->recs[i].udid), "TEST-%05d", i);
		facts_init(&r->recs[i].facts, r->recs[i].udid);
		snprintf(r->recs[i].facts.name, sizeof(r->recs[i].facts.name), "Phone %d", i);
	}
	struct event *b = evtimer_new(r->base, burst, r),
	             *w = event_new(r->base, -1, EV_PERSIST, watch, r);
	struct event *re = evtimer_new(r->base, reload, r);
	evtimer_add(b, &soon);
	event_add(w, &every);
	if (r->reload_to)
		evtimer_add(re, &later);
	event_base_loopexit(r->base, &limit);
	int64_t start = clock_monotonic_ms();
	event_base_dispatch(r->base);
	r->took_ms = clock_monotonic_ms() - start;
	event_free(b);
	event_free(w);
	event_free(re);
	hook_runner_free(r->runner);
	event_base_free(r->base);
	free(r->recs);
}

static void write_script(const char *name, const char *body, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	CHECK(chmod(path, 0755) == 0);
}

static int log_count(const char *text)
{
	char line[4096];
	int found = 0;
	fflush(stderr);
	FILE *f = fopen(log_path, "r");
	CHECK(f);
	while (fgets(line, sizeof(line), f))
		found += strstr(line, text) != NULL;
	fclose(f);
	return found;
}

static bool log_has(const char *text)
{
	return log_count(text) > 0;
}

static void test_burst_starts_nothing_in_its_turn(void)
{
	struct run r = {0};
	run_burst(&r, 20, "/bin/true", 8, 5000);
	CHECK(r.running_in_burst_turn == 0);
	CHECK(r.stats.runs[HOOK_RESULT_OK] == 20);
	printf("ok - a burst of 20 starts no command in its own turn; all 20 ran\n");
}

static void test_stderr_flood_cut(void)
{
	struct run r = {0};
	char path[128];
	write_script("flood.sh", "exec cat /dev/zero >&2", path, sizeof(path));
	run_burst(&r, 1, path, 1, 8000);
	CHECK(r.stats.runs[HOOK_RESULT_SIGNAL] == 1); /* SIGPIPE, not the 8 s timeout */
	CHECK(r.took_ms < 4000);
	CHECK(log_has("(stderr cut at 2048 bytes)"));
	printf("ok - a stderr flood is cut at 2048 bytes: SIGPIPE after %lld ms\n",
	       (long long)r.took_ms);
}

static bool process_gone(pid_t pid)
{
	char stat_path[64], text[256] = "";
	snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(stat_path, "r");
	if (!f)
		return true;
	bool zombie = fgets(text, sizeof(text), f) && strstr(text, ") Z ");
	fclose(f);
	return zombie;
}

static void test_background_killed(void)
{
	struct run r = {0};
	char path[128], body[256], pid_path[128];
	snprintf(pid_path, sizeof(pid_path), "%s/bg.pid", dir);
	snprintf(body, sizeof(body), "sleep 30 >/dev/null 2>&1 &\necho $! >%s\nexit 0", pid_path);
	write_script("bg.sh", body, path, sizeof(path));
	run_burst(&r, 1, path, 1, 5000);
	CHECK(r.stats.runs[HOOK_RESULT_OK] == 1);
	FILE *f = fopen(pid_path, "r");
	CHECK(f);
	int pid = 0;
	CHECK(fscanf(f, "%d", &pid) == 1 && pid > 0);
	fclose(f);
	bool gone = false;
	for (int i = 0; i < 100 && !gone; i++) {
		gone = process_gone(pid);
		if (!gone)
			usleep(10000);
	}
	if (!gone)
		kill(pid, SIGKILL);
	CHECK(gone);
	printf("ok - a background child of a command that exited is killed with its group\n");
}

static void test_result_names_command_started(void)
{
	struct run r = {.reload_to = "/bin/true"};
	char path[128], want[192];
	CHECK(freopen(log_path, "w", stderr)); /* earlier tests ran /bin/true */
	write_script("slow.sh", "sleep 1", path, sizeof(path));
	run_burst(&r, 1, path, 1, 5000);
	CHECK(r.stats.runs[HOOK_RESULT_OK] == 1);
	snprintf(want, sizeof(want), "alert command %s ran", path);
	CHECK(log_has(want));
	CHECK(!log_has("alert command /bin/true ran"));
	printf("ok - a reload during a run: its result names the command it started\n");
}

static void test_unusable_command_said_once(void)
{
	struct run r = {0};
	CHECK(freopen(log_path, "w", stderr));
	run_burst(&r, 5, "/nonexistent/alert-command", 2, 5000);
	CHECK(r.stats.runs[HOOK_RESULT_ERROR] == 5);
	CHECK(log_count("AlertCommand=/nonexistent/alert-command cannot be run") == 1);
	CHECK(log_count("could not be started") == 0);
	printf("ok - a missing AlertCommand is said once, not once per alert\n");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/hook_runner_test.XXXXXX");
	CHECK(mkdtemp(dir));
	snprintf(log_path, sizeof(log_path), "%s/stderr.log", dir);
	CHECK(freopen(log_path, "w", stderr));
	journal_set_target(JOURNAL_TARGET_STDERR);
	test_burst_starts_nothing_in_its_turn();
	test_stderr_flood_cut();
	test_background_killed();
	test_result_names_command_started();
	test_unusable_command_said_once();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	printf("hook_runner_test: ok\n");
	return 0;
}
