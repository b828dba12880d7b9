/* SPDX-License-Identifier: ISC */
/* End-to-end timing of `backupctl status` against a fleet of N simulated devices: the real
 * control server (ctl_fixture_server --synthetic N), backupctl started with fork/exec, wall
 * time from fork to exit. Prints the median and the 90th percentile.
 *
 * Usage: ctl_bench BACKUPCTL FIXTURE_SERVER [DEVICES=1000] [RUNS=200]
 * With CTL_BENCH_SOCKET set, no server is started: backupctl talks to that socket (a real
 * backupd, tests/bench/run.sh) and DEVICES only labels the output. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Starts the server; returns its pid once it printed "ready". */
static pid_t start_server(const char *server, const char *socket_path, const char *devices)
{
	int pipe_fds[2];
	if (pipe(pipe_fds) < 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipe_fds[1], STDOUT_FILENO);
		close(pipe_fds[0]);
		execl(server, server, "--socket", socket_path, "--synthetic", devices,
		      (char *)NULL);
		_exit(127);
	}
	close(pipe_fds[1]);
	char line[16] = "";
	if (read(pipe_fds[0], line, sizeof(line) - 1) <= 0 || strncmp(line, "ready", 5) != 0) {
		fprintf(stderr, "ctl_bench: the fixture server did not start\n");
		exit(1);
	}
	close(pipe_fds[0]);
	return pid;
}

/* One run of backupctl; returns its wall time in ms, or -1 on a bad exit. */
static double run_once(const char *backupctl, const char *socket_path)
{
	double start = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int null_fd = open("/dev/null", O_WRONLY);
		dup2(null_fd, STDOUT_FILENO);
		execl(backupctl, backupctl, "--socket", socket_path, "status", (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	double elapsed = now_ms() - start;
	return WIFEXITED(status) && WEXITSTATUS(status) <= 1 ? elapsed : -1;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ctl_bench BACKUPCTL FIXTURE_SERVER [DEVICES] [RUNS]\n");
		return 2;
	}
	const char *devices = argc > 3 ? argv[3] : "1000";
	int runs = argc > 4 ? atoi(argv[4]) : 200;
	char socket_path[108];
	snprintf(socket_path, sizeof(socket_path), "/tmp/ctl-bench-%d.sock", (int)getpid());
	setenv("NO_COLOR", "1", 1);
	const char *existing = getenv("CTL_BENCH_SOCKET");
	if (existing)
		snprintf(socket_path, sizeof(socket_path), "%s", existing);
	pid_t server = existing ? 0 : start_server(argv[2], socket_path, devices);
	double *times = calloc((size_t)runs, sizeof(*times));
	int failed = 0;
	for (int i = 0; i < runs; i++)
		if ((times[i] = run_once(argv[1], socket_path)) < 0)
			failed++;
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	qsort(times, (size_t)runs, sizeof(*times), compare_doubles);
	printf(
	    "backupctl status, %s devices, %d runs: median %.2f ms, p90 %.2f ms, max %.2f ms%s\n",
	    devices, runs, times[runs / 2], times[runs * 9 / 10], times[runs - 1],
	    failed ? " (some runs FAILED)" : "");
	free(times);
	return failed ? 1 : 0;
}
