/* metrics_process: the standard process_* values of the daemon itself, from /proc/self
 * (readable under ProcSubset=pid; /proc/stat is not, so boot time comes from the clocks). */
#ifndef BACKUPD_METRICS_PROCESS_H
#define BACKUPD_METRICS_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

struct process_stats {
	bool have_stat; /* /proc/self/stat was read: the four values below are set */
	double cpu_seconds;
	double start_time_unix;
	int64_t resident_bytes;
	int64_t virtual_bytes;
	int64_t open_fds; /* -1 when /proc/self/fd cannot be listed */
	int64_t max_fds;  /* soft RLIMIT_NOFILE; -1 when unlimited */
};

void metrics_process_read(struct process_stats *out);

#endif
