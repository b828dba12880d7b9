/* SPDX-License-Identifier: ISC */
/* probe_trace: one line per probe on stderr when BACKUPD_TRACE is set; see probe_trace.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device_lookup.h"
#include "handshake_wait.h"
#include "probe_trace.h"
#include "trace_env.h"

static const char *const step_names[STEP_COUNT] = {
    [STEP_LOOKUP] = "lookup",     [STEP_HANDSHAKE] = "handshake", [STEP_ROOT] = "root",
    [STEP_PASSWORD] = "password", [STEP_BACKUP] = "backup",       [STEP_BATTERY] = "battery",
    [STEP_DISK] = "disk",         [STEP_DIAG_OPEN] = "diag_open", [STEP_WIFI] = "wifi",
    [STEP_CLOSE] = "close",
};

static int64_t clock_us(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void probe_trace_begin(struct probe_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->on = trace_env_on();
	if (!t->on)
		return;
	t->start_us = t->mark_us = clock_us(CLOCK_MONOTONIC);
	t->cpu_start_us = t->cpu_mark_us = clock_us(CLOCK_THREAD_CPUTIME_ID);
}

void probe_trace_mark(struct probe_trace *t, enum probe_step step)
{
	if (!t->on)
		return;
	int64_t now = clock_us(CLOCK_MONOTONIC), cpu = clock_us(CLOCK_THREAD_CPUTIME_ID);
	t->step_us[step] += now - t->mark_us;
	t->step_cpu_us[step] += cpu - t->cpu_mark_us;
	t->mark_us = now;
	t->cpu_mark_us = cpu;
}

void probe_trace_end(const struct probe_trace *t, const char *udid, bool ok)
{
	if (!t->on)
		return;
	char line[1024];
	int n = snprintf(line, sizeof(line),
	                 "backupd-trace probe pid=%ld udid=%s cold=%d ok=%d total_us=%lld "
	                 "cpu_us=%lld",
	                 (long)getpid(), udid, t->cold, ok,
	                 (long long)(clock_us(CLOCK_MONOTONIC) - t->start_us),
	                 (long long)(clock_us(CLOCK_THREAD_CPUTIME_ID) - t->cpu_start_us));
	if (n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " early_wakes=%lu list_reads=%lu",
		              handshake_wait_early_wakes(), device_lookup_list_reads());
	for (int i = 0; i < STEP_COUNT && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s_us=%lld %s_cpu=%lld",
		              step_names[i], (long long)t->step_us[i], step_names[i],
		              (long long)t->step_cpu_us[i]);
	if (n > 0 && (size_t)n < sizeof(line) - 1) {
		line[n++] = '\n';
		/* One write: lines of 16 helpers sharing the daemon's stderr stay whole. */
		ssize_t w = write(STDERR_FILENO, line, (size_t)n);
		(void)w;
	}
}
