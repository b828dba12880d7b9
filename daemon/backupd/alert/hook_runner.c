/* SPDX-License-Identifier: ISC */
/* The alert command: queue, a few children at a time, results to the journal (see
 * hook_runner.h). Everything here runs on the loop. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "alert.h"
#include "clock.h"
#include "hook_event.h"
#include "hook_queue.h"
#include "hook_repeat.h"
#include "hook_runner.h"
#include "journal.h"
#include "xmalloc.h"

#define JOBS_MAX 64 /* AlertCommandJobs' upper bound in the key table */

extern char **environ;

struct run {
	struct hook_runner *runner;
	struct hook_child *child; /* NULL = free slot */
	struct hook_event *event;
	char command[256]; /* as it was started: a reload may change AlertCommand meanwhile */
};

struct hook_runner {
	struct event_base *base;
	char command[256];
	int64_t timeout_ms;
	int jobs;
	enum hook_repeat_policy repeat;
	char host[256];
	struct hook_queue queue;
	struct run runs[JOBS_MAX];
	int n_running;
	bool start_failing; /* said once: no warning per alert until a start works again */
	uint64_t results[HOOK_RESULT_COUNT];
	struct event *sigchld, *kick;
};

static void apply(struct hook_runner *runner, const struct backupd_config *config)
{
	snprintf(runner->command, sizeof(runner->command), "%s", config->alert_command);
	runner->timeout_ms = config->alert_command_timeout_ms;
	runner->jobs =
	    config->alert_command_jobs < JOBS_MAX ? config->alert_command_jobs : JOBS_MAX;
	runner->repeat = (enum hook_repeat_policy)config->alert_repeat;
	hook_queue_set_capacity(&runner->queue, (size_t)config->alert_command_queue);
	char why[160];
	runner->start_failing = false;
	if (runner->command[0] && !hook_command_usable(runner->command, why, sizeof(why))) {
		log_warning("AlertCommand=%s cannot be run: %s; alerts reach the journal only "
		            "until it can (said once)",
		            runner->command, why);
		runner->start_failing = true;
	}
}

static void format_clock(int64_t unix_time, char *buf, size_t size)
{
	time_t t = (time_t)unix_time;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "%" PRId64, unix_time);
}

static void say_drops(struct hook_runner *runner)
{
	struct hook_drops drops;
	char first[32], last[32], count[64];

	if (!hook_queue_take_unsaid(&runner->queue, &drops))
		return;
	format_clock(drops.first_unix, first, sizeof(first));
	format_clock(drops.last_unix, last, sizeof(last));
	snprintf(count, sizeof(count), "ALERT_COMMAND_DROPPED=%" PRIu64, drops.count);
	char message[512];
	snprintf(message, sizeof(message),
	         "alert command: %" PRIu64 " alert(s) dropped, AlertCommandQueue=%zu was full "
	         "from %s to %s (first: %s); the journal has every transition",
	         drops.count, runner->queue.capacity, first, last, drops.first_label);
	struct journal_entry entry = {
	    .priority = LOG_WARNING, .message = message, .extra = {count}};
	journal_emit(&entry);
}

static void describe_end(const struct hook_child_result *r, int64_t timeout_ms, char *buf,
                         size_t size)
{
	switch (r->result) {
	case HOOK_RESULT_OK:
	case HOOK_RESULT_FAILED:
		snprintf(buf, size, "exit status %d after %" PRId64 " ms", r->code, r->duration_ms);
		break;
	case HOOK_RESULT_TIMEOUT:
		snprintf(buf, size,
		         "killed after %" PRId64 " ms (AlertCommandTimeout=%" PRId64 "ms)",
		         r->duration_ms, timeout_ms);
		break;
	default:
		snprintf(buf, size, "killed by signal %d (%s) after %" PRId64 " ms", r->code,
		         strsignal(r->code), r->duration_ms);
	}
}

static void journal_result(const struct hook_runner *runner, const char *command,
                           const struct hook_event *event, const struct hook_child_result *r)
{
	char how[160], message[1024], result[64], code[48], text[HOOK_STDERR_MAX + 64];
	const char *first_line_end = strchr(r->stderr_text, '\n');
	int first_line = first_line_end ? (int)(first_line_end - r->stderr_text) : 160;

	describe_end(r, runner->timeout_ms, how, sizeof(how));
	char cut[48] = "";
	if (r->stderr_cut)
		snprintf(cut, sizeof(cut), " (stderr cut at %d bytes)", HOOK_STDERR_MAX);
	snprintf(message, sizeof(message), "alert command %s %s for \"%s\": %s%s%s%.*s", command,
	         r->result == HOOK_RESULT_OK ? "ran" : "failed", event->label, how, cut,
	         r->stderr_text[0] ? ": " : "", first_line, r->stderr_text);
	snprintf(result, sizeof(result), "ALERT_COMMAND_RESULT=%s", hook_result_name(r->result));
	snprintf(code, sizeof(code), "ALERT_COMMAND_%s=%d",
	         r->result == HOOK_RESULT_OK || r->result == HOOK_RESULT_FAILED ? "EXIT" : "SIGNAL",
	         r->code);
	snprintf(text, sizeof(text), "ALERT_COMMAND_STDERR=%s", r->stderr_text);
	struct journal_entry entry = {
	    .priority = r->result == HOOK_RESULT_OK ? LOG_INFO : LOG_WARNING,
	    .message = message,
	    .extra = {result, code, r->stderr_text[0] ? text : NULL,
	              r->stderr_cut ? "ALERT_COMMAND_STDERR_CUT=1" : NULL},
	};
	journal_emit(&entry);
}

static void run_done(void *arg, const struct hook_child_result *result)
{
	struct run *run = arg;
	struct hook_runner *runner = run->runner;

	runner->results[result->result]++;
	journal_result(runner, run->command, run->event, result);
	hook_event_free(run->event);
	run->event = NULL;
	run->child = NULL;
	runner->n_running--;
}

/* The daemon's environment without what is systemd's to us (NOTIFY_SOCKET, LISTEN_FDS, ...)
 * or our own settings, then the event's variables. Pointers only: valid for one spawn. */
static char **child_environment(const struct hook_event *event)
{
	static const char *const withheld[] = {"NOTIFY_SOCKET=", "WATCHDOG_", "LISTEN_",
	                                       "JOURNAL_STREAM=", "BACKUPD_"};
	size_t n_environ = 0, n = 0;

	while (environ[n_environ])
		n_environ++;
	char **envp = xcalloc(n_environ + event->n_env + 1, sizeof(*envp));
	for (size_t i = 0; i < n_environ; i++) {
		bool keep = true;
		for (size_t j = 0; j < sizeof(withheld) / sizeof(withheld[0]); j++)
			keep = keep && strncmp(environ[i], withheld[j], strlen(withheld[j])) != 0;
		if (keep)
			envp[n++] = environ[i];
	}
	for (size_t i = 0; i < event->n_env; i++)
		envp[n++] = event->env[i];
	return envp;
}

static struct run *free_slot(struct hook_runner *runner)
{
	for (int i = 0; i < runner->jobs; i++)
		if (!runner->runs[i].child)
			return &runner->runs[i];
	return NULL;
}

static void start_one(struct hook_runner *runner, struct run *run, struct hook_event *event)
{
	char **envp = child_environment(event);

	run->runner = runner;
	run->event = event;
	snprintf(run->command, sizeof(run->command), "%s", runner->command);
	run->child = hook_child_start(runner->base, runner->command, envp, event->json,
	                              runner->timeout_ms, run_done, run);
	int error = errno;
	free(envp);
	if (run->child) {
		runner->n_running++;
		runner->start_failing = false;
		return;
	}
	runner->results[HOOK_RESULT_ERROR]++;
	if (!runner->start_failing)
		log_warning("alert command %s could not be started for \"%s\": %s; said once "
		            "until it starts again",
		            runner->command, event->label, strerror(error));
	runner->start_failing = true;
	hook_event_free(event);
	run->event = NULL;
}

/* One start per loop turn: a burst of a thousand alerts never holds the loop for a thousand
 * spawns; the next start waits for the loop's next turn (the kick event). Only the kick and
 * SIGCHLD call this: on_alert, which a burst calls many times in one turn, only queues. */
static void dispatch(struct hook_runner *runner)
{
	struct run *run;

	if (runner->command[0] && (run = free_slot(runner)) && runner->queue.length > 0) {
		start_one(runner, run, hook_queue_pop(&runner->queue));
		if (runner->queue.length > 0 && free_slot(runner))
			event_active(runner->kick, EV_TIMEOUT, 0);
	}
	if (!hook_queue_full(&runner->queue))
		say_drops(runner);
}

static void kicked(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dispatch(arg);
}

static void on_sigchld(evutil_socket_t fd, short what, void *arg)
{
	struct hook_runner *runner = arg;

	(void)fd;
	(void)what;
	for (int i = 0; i < JOBS_MAX; i++)
		if (runner->runs[i].child)
			hook_child_poll(runner->runs[i].child);
	dispatch(runner);
}

static int64_t next_repeat(const struct hook_runner *runner, const struct alert_event *alert,
                           int64_t now)
{
	struct alert_memory memory = {
	    .announced = VERDICT_FAILING,
	    .announced_at_unix = alert->since_unix,
	    .repeats = alert->repeats,
	    .repeated_at_unix = alert->kind == ALERT_EVENT_REPEAT ? now : 0,
	};
	if (alert->kind == ALERT_EVENT_RECOVERED || alert->since_unix <= 0)
		return 0;
	return hook_repeat_next(runner->repeat, &memory);
}

static void on_alert(void *ctx, const struct alert_event *alert)
{
	struct hook_runner *runner = ctx;
	int64_t now = clock_wall_unix();

	if (!runner->command[0])
		return;
	if (hook_queue_full(&runner->queue)) {
		hook_queue_refuse(&runner->queue, alert->entry->message, now);
		return;
	}
	struct hook_context context = {
	    .host = runner->host,
	    .now_unix = now,
	    .next_repeat_unix = next_repeat(runner, alert, now),
	    .dropped_before = runner->queue.dropped_since_accept,
	};
	hook_queue_push(&runner->queue, hook_event_new(alert, &context));
	event_active(runner->kick, EV_TIMEOUT, 0); /* started on a later turn, see dispatch */
}

static bool repeat_due(void *ctx, const struct alert_memory *memory, int64_t now_unix)
{
	const struct hook_runner *runner = ctx;

	return runner->command[0] && hook_repeat_due(runner->repeat, memory, now_unix);
}

struct hook_runner *hook_runner_new(struct event_base *base, const struct backupd_config *config)
{
	struct hook_runner *runner = xcalloc(1, sizeof(*runner));
	runner->base = base;
	hook_queue_init(&runner->queue, 1);
	apply(runner, config);
	if (gethostname(runner->host, sizeof(runner->host) - 1) < 0)
		snprintf(runner->host, sizeof(runner->host), "unknown");
	runner->sigchld = evsignal_new(base, SIGCHLD, on_sigchld, runner);
	event_add(runner->sigchld, NULL);
	runner->kick = event_new(base, -1, 0, kicked, runner);
	return runner;
}

void hook_runner_reconfigure(struct hook_runner *runner, const struct backupd_config *config)
{
	apply(runner, config);
	if (!runner->command[0]) /* switched off: what waits would wait for ever */
		hook_queue_clear(&runner->queue, clock_wall_unix());
	event_active(runner->kick, EV_TIMEOUT, 0);
}

void hook_runner_free(struct hook_runner *runner)
{
	if (!runner)
		return;
	for (int i = 0; i < JOBS_MAX; i++)
		if (runner->runs[i].child)
			hook_child_stop(runner->runs[i].child);
	hook_queue_clear(&runner->queue, clock_wall_unix());
	say_drops(runner);
	event_free(runner->sigchld);
	event_free(runner->kick);
	free(runner);
}

void hook_runner_stats(const struct hook_runner *runner, struct hook_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!runner)
		return;
	memcpy(out->runs, runner->results, sizeof(out->runs));
	out->dropped = runner->queue.dropped_total;
	out->queued = runner->queue.length;
	out->running = (uint64_t)runner->n_running;
}

struct alert_consumer hook_runner_consumer(struct hook_runner *runner)
{
	return (struct alert_consumer){.event = on_alert, .repeat_due = repeat_due, .ctx = runner};
}
