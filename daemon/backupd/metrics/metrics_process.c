/* SPDX-License-Identifier: ISC */
/* Reading the daemon's own process figures. Each read is a few small /proc files: no device,
 * no network, nothing that can block. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "metrics_process.h"

#define STAT_BYTES_MAX 1024
/* Fields of /proc/self/stat after the command name, counted from 3 (state) as in proc(5). */
#define FIELD_UTIME     14
#define FIELD_STIME     15
#define FIELD_STARTTIME 22
#define FIELD_VSIZE     23
#define FIELD_RSS       24

static double clock_seconds(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ssize_t read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The fields after "pid (comm)": comm may hold spaces and parentheses, so start after the
 * last ')'. */
static bool parse_stat(const char *text, unsigned long long fields[FIELD_RSS + 1])
{
	const char *at = strrchr(text, ')');
	if (at == NULL)
		return false;
	at += 2;              /* ") " */
	at = strchr(at, ' '); /* skip the state letter (field 3) */
	for (int field = 4; field <= FIELD_RSS; field++) {
		char *end;
		if (at == NULL)
			return false;
		fields[field] = strtoull(at + 1, &end, 10);
		if (end == at + 1)
			return false;
		at = strchr(end, ' ');
	}
	return true;
}

static void read_stat(struct process_stats *out)
{
	char text[STAT_BYTES_MAX];
	unsigned long long fields[FIELD_RSS + 1] = {0};
	double ticks = (double)sysconf(_SC_CLK_TCK);

	if (read_small_file("/proc/self/stat", text, sizeof(text)) <= 0 ||
	    !parse_stat(text, fields))
		return;
	out->cpu_seconds = (double)(fields[FIELD_UTIME] + fields[FIELD_STIME]) / ticks;
	/* starttime counts from boot, suspend included: CLOCK_BOOTTIME's zero. */
	out->start_time_unix =
	    round((clock_seconds(CLOCK_REALTIME) - clock_seconds(CLOCK_BOOTTIME) +
	           (double)fields[FIELD_STARTTIME] / ticks) *
	          100) /
	    100;
	out->virtual_bytes = (double)fields[FIELD_VSIZE];
	out->resident_bytes = (double)fields[FIELD_RSS] * (double)sysconf(_SC_PAGESIZE);
}

static double count_open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int count = 0;
	struct dirent *entry;

	if (dir == NULL)
		return NAN;
	while ((entry = readdir(dir)) != NULL)
		count += entry->d_name[0] != '.';
	closedir(dir);
	return count - 1.0; /* the directory's own descriptor */
}

void metrics_process_read(struct process_stats *out)
{
	struct rlimit limit;

	*out = (struct process_stats){NAN, NAN, NAN, NAN, NAN, NAN};
	read_stat(out);
	out->open_fds = count_open_fds();
	if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
		out->max_fds = (double)limit.rlim_cur;
}
