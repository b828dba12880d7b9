/* SPDX-License-Identifier: ISC */
/* metrics_process: the standard process_* values of the daemon itself, from /proc/self
 * (readable under ProcSubset=pid; /proc/stat is not, so boot time comes from the clocks). */
#ifndef BACKUPD_METRICS_PROCESS_H
#define BACKUPD_METRICS_PROCESS_H

/* NAN for what could not be read. */
struct process_stats {
	double cpu_seconds;
	double start_time_unix; /* to 10 ms */
	double resident_bytes;
	double virtual_bytes;
	double open_fds;
	double max_fds; /* soft RLIMIT_NOFILE; NAN when unlimited */
};

void metrics_process_read(struct process_stats *out);

#endif
