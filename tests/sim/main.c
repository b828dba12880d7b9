/* SPDX-License-Identifier: ISC */
/* idevice-sim: options, start-up, the event loop, shutdown; and `--ctl PATH COMMAND...`, a
 * one-shot client of the control socket so tests need no other tool. */
#include "sim.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/rand.h>

#define MAX_PROFILES 256

struct options {
	const char *socket_path, *control_path, *ready_file, *profiles_dir, *sysfs_root;
	const char *profiles[MAX_PROFILES];
	int profile_count;
	unsigned devices;
	uint64_t seed;
};

static void usage(FILE *to)
{
	fputs("usage: idevice-sim --socket PATH [--control PATH] [--devices N] [--seed S]\n"
	      "                   [--profile FILE]... [--profiles DIR] [--ready-file PATH]\n"
	      "                   [--sysfs DIR]\n"
	      "       idevice-sim --ctl CONTROLPATH COMMAND [ARGS...]\n",
	      to);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"control", required_argument, NULL, 'c'},
	    {"devices", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 'S'},
	    {"profile", required_argument, NULL, 'p'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"ready-file", required_argument, NULL, 'r'},
	    {"sysfs", required_argument, NULL, 'y'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "s:c:n:S:p:P:r:y:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->socket_path = optarg;
			break;
		case 'c':
			o->control_path = optarg;
			break;
		case 'n':
			o->devices = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'S':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			if (o->profile_count == MAX_PROFILES)
				return -1;
			o->profiles[o->profile_count++] = optarg;
			break;
		case 'P':
			o->profiles_dir = optarg;
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 'y':
			o->sysfs_root = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (!o->socket_path || optind != argc || o->devices > 100000)
		return -1;
	return 0;
}

/* One connection per device port and several per device: take every descriptor allowed. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int load_fleet(struct sim *sim, const struct options *o)
{
	for (int i = 0; i < o->profile_count; i++) {
		char err[512];
		if (!fleet_load_profile(&sim->fleet, o->profiles[i], err, sizeof err)) {
			fprintf(stderr, "idevice-sim: %s\n", err);
			return -1;
		}
	}
	if (o->profiles_dir && fleet_load_dir(&sim->fleet, o->profiles_dir) < 0) {
		fprintf(stderr, "idevice-sim: cannot load profiles from %s\n", o->profiles_dir);
		return -1;
	}
	fleet_synthesize(&sim->fleet, o->devices, o->seed);
	for (size_t i = 0; i < sim->fleet.count; i++)
		fleet_finish_device(sim, sim->fleet.devices[i]);
	return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

static void announce_ready(const struct options *o, const struct sim *sim)
{
	printf("ready %zu devices\n", sim->fleet.count);
	fflush(stdout);
	if (o->ready_file) {
		FILE *f = fopen(o->ready_file, "w");
		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
}

static int run(const struct options *o)
{
	struct sim sim = {.socket_path = o->socket_path,
	                  .control_path = o->control_path,
	                  .sysfs_root = o->sysfs_root};
	TAILQ_INIT(&sim.conns);
	unsigned char b[8];
	RAND_bytes(b, sizeof b);
	snprintf(sim.buid, sizeof sim.buid, "%02X%02X%02X%02X-%02X%02X-%02X%02X-SIM0-000000000000",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
	sim.base = event_base_new();
	sim.pki = pki_new();
	int rc = 1;
	if (load_fleet(&sim, o) < 0)
		goto out;
	if (sysfs_start(&sim, o->seed) < 0) {
		fprintf(stderr, "idevice-sim: cannot write the sysfs tree in %s: %s\n",
		        o->sysfs_root, strerror(errno));
		goto out;
	}
	if (mux_start(&sim) < 0 || control_start(&sim) < 0) {
		fprintf(stderr, "idevice-sim: cannot listen on %s: %s\n", o->socket_path,
		        strerror(errno));
		goto out;
	}
	struct event *sigint = evsignal_new(sim.base, SIGINT, on_signal, sim.base);
	struct event *sigterm = evsignal_new(sim.base, SIGTERM, on_signal, sim.base);
	evsignal_add(sigint, NULL);
	evsignal_add(sigterm, NULL);
	announce_ready(o, &sim);
	event_base_dispatch(sim.base);
	event_free(sigint);
	event_free(sigterm);
	rc = 0;
out:
	mux_stop(&sim);
	control_stop(&sim);
	fleet_free(&sim.fleet);
	pki_free(sim.pki);
	event_base_free(sim.base);
	return rc;
}

/* --ctl: send one command, print the reply line, exit 0 on "ok". */
static int ctl(const char *path, int argc, char **argv)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sun.sun_path)
		return 2;
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		fprintf(stderr, "idevice-sim: %s: %s\n", path, strerror(errno));
		return 2;
	}
	FILE *f = fdopen(fd, "r+");
	for (int i = 0; i < argc; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
	fputc('\n', f);
	fflush(f);
	char *line = NULL;
	size_t cap = 0;
	int rc = 1;
	if (getline(&line, &cap, f) > 0) {
		fputs(line, stdout);
		rc = strncmp(line, "ok", 2) == 0 ? 0 : 1;
	}
	free(line);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "--ctl") == 0)
		return ctl(argv[2], argc - 3, argv + 3);
	struct options o = {.seed = 1};
	if (parse_options(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	return run(&o);
}
