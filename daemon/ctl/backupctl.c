/* backupctl: asks backupd which phones will not back up to iCloud, and why. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_protocol.h"
#include "ctl.h"
#include "version.h"

struct ctl_verb {
	const char *name;
	int min_args, max_args;
	int (*run)(const struct ctl_options *options, int argc, char **argv);
};

static const struct ctl_verb verbs[] = {
    {"status", 0, INT_MAX, ctl_verb_status},
    {"refresh", 0, INT_MAX, ctl_verb_refresh},
    {"feed", 0, 0, ctl_verb_feed},
};

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: backupctl [OPTIONS] [VERB [ARGS...]]\n"
	    "\n"
	    "Shows which iPhones attached to this machine will not back up to iCloud, and why.\n"
	    "\n"
	    "Verbs:\n"
	    "  status [UDID|NAME...]  one row per device (the default verb); with exactly one\n"
	    "                         device named: every precondition, its reason and fix\n"
	    "  refresh [UDID...]      probe now (all devices when none named), then show status\n"
	    "  feed                   what Apple's status feed says about iCloud Backup\n"
	    "\n"
	    "Options:\n"
	    "  --json            print the daemon's reply as JSON (stable field names,\n"
	    "                    documented in README and include/control_protocol.h)\n"
	    "  --no-legend       no column headers and no summary line\n"
	    "  --socket PATH     control socket (default $BACKUPCTL_SOCKET, else %s)\n"
	    "  --version         print the version\n"
	    "  -h, --help        this help\n"
	    "\n"
	    "Colour is used only when stdout is a terminal and NO_COLOR is unset.\n"
	    "\n"
	    "Exit status:\n"
	    "  0  every device shown is ready (feed: Apple reports iCloud Backup operational)\n"
	    "  1  some device is not ready or its readiness is unknown, or the probe helpers\n"
	    "     cannot start (feed: an event, or the feed state is unknown)\n"
	    "  2  usage error, or a named device is not known to backupd\n"
	    "  3  backupd unreachable, permission denied, or protocol error\n",
	    CONTROL_DEFAULT_SOCKET);
}

enum { OPT_JSON = 256, OPT_NO_LEGEND, OPT_SOCKET, OPT_VERSION };

static const struct option long_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"no-legend", no_argument, NULL, OPT_NO_LEGEND},
    {"socket", required_argument, NULL, OPT_SOCKET},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Returns -1 to go on to the verb, or the exit code when done (help, version, error). */
static int parse_options(int argc, char **argv, struct ctl_options *options)
{
	const char *env_socket = getenv("BACKUPCTL_SOCKET");
	options->socket_path = env_socket && env_socket[0] ? env_socket : CONTROL_DEFAULT_SOCKET;
	options->legend = true;
	options->timeout_ms = CTL_TIMEOUT_MS;
	int c;
	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			options->json = true;
			break;
		case OPT_NO_LEGEND:
			options->legend = false;
			break;
		case OPT_SOCKET:
			options->socket_path = optarg;
			break;
		case OPT_VERSION:
			printf("backupctl %s (protocol %d)\n", BACKUPD_VERSION,
			       CONTROL_PROTOCOL_VERSION);
			return CTL_EXIT_OK;
		case 'h':
			usage(stdout);
			return CTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'backupctl --help'.\n");
			return CTL_EXIT_USAGE;
		}
	}
	return -1;
}

static int dispatch(const struct ctl_options *options, int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "status";
	int n_args = argc > 0 ? argc - 1 : 0;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i].name, name) != 0)
			continue;
		if (n_args < verbs[i].min_args || n_args > verbs[i].max_args) {
			fprintf(stderr,
			        "backupctl: %s takes %s arguments; see 'backupctl --help'\n", name,
			        verbs[i].max_args == 0 ? "no" : "other");
			return CTL_EXIT_USAGE;
		}
		return verbs[i].run(options, n_args, argc > 0 ? argv + 1 : argv);
	}
	fprintf(stderr, "backupctl: unknown verb \"%s\"; see 'backupctl --help'\n", name);
	return CTL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct ctl_options options = {0};
	int done = parse_options(argc, argv, &options);
	if (done >= 0)
		return done;
	ctl_color_init();
	return dispatch(&options, argc - optind, argv + optind);
}
