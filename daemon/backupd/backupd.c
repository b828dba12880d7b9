/* SPDX-License-Identifier: ISC */
/* backupd: watches the iPhones attached through usbmuxd and tells, through journald and
 * backupctl, which of them will not back up to iCloud and why. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <event2/event.h>

#include "daemon.h"
#include "hook_spawn.h"
#include "hotplug_wire.h"
#include "journal.h"
#include "probe_wire.h"
#include "version.h"

#define DEFAULT_CONFIG BACKUPD_SYSCONFDIR "/backupd.conf"

static void usage(FILE *out)
{
	fprintf(out, "Usage: backupd [--config FILE] [--check-config] [--version]\n"
	             "\n"
	             "Watches iPhones attached through usbmuxd and reports, to journald and to\n"
	             "backupctl, whether each can back up to iCloud.\n"
	             "\n"
	             "  -c, --config FILE   configuration (default " DEFAULT_CONFIG
	             ", drop-ins FILE.d/*.conf)\n"
	             "      --check-config  validate the configuration and exit (0 good, 78 bad)\n"
	             "  -V, --version       print the version\n"
	             "  -h, --help          this text\n");
}

static int run_probe_helper(const char *fd_text, const char *parent_text)
{
	/* A helper must not outlive the daemon, even while stuck inside libimobiledevice; the
	 * parent check closes the window in which the daemon died before prctl. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != (pid_t)atoi(parent_text))
		return 1;
	/* Keep only the request socket: inherited descriptors (libusbmuxd's listen socket, the
	 * feed's connection) would otherwise stay open in every helper. */
	int fd = atoi(fd_text);
	close_range((unsigned)fd + 1, ~0U, 0);
	signal(SIGPIPE, SIG_IGN);
	return probe_helper_main(fd);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--probe-helper") == 0)
		return run_probe_helper(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "--usbmuxd-watcher") == 0)
		return hotplug_watch_main(argv[2], argv[3]);

	static const struct option options[] = {
	    {"config", required_argument, NULL, 'c'}, {"check-config", no_argument, NULL, 'C'},
	    {"foreground", no_argument, NULL, 'f'},   {"version", no_argument, NULL, 'V'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	struct daemon d = {.config_path = DEFAULT_CONFIG};
	bool check_only = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:fVh", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			d.config_path = optarg;
			d.config_required = true;
			break;
		case 'C':
			check_only = true;
			break;
		case 'f':
			break;
		case 'V':
			printf("backupd %s\n", BACKUPD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	snprintf(d.dropin_dir, sizeof(d.dropin_dir), "%s.d", d.config_path);
	if (check_only)
		journal_set_target(JOURNAL_TARGET_STDERR); /* a command answers on its terminal */
	if (daemon_load_config(&d, &d.config) < 0)
		return CONFIG_EXIT_INVALID;
	if (daemon_load_identity(&d.config, &d.identity) < 0) {
		config_free(&d.config);
		return CONFIG_EXIT_INVALID;
	}
	char why[160];
	if (check_only && d.config.alert_command[0] &&
	    !hook_command_usable(d.config.alert_command, why, sizeof(why))) {
		fprintf(stderr, "%s: AlertCommand=%s cannot be run: %s\n", d.config_path,
		        d.config.alert_command, why);
		config_free(&d.config);
		pairing_identity_free(d.identity);
		return CONFIG_EXIT_INVALID;
	}
	if (check_only) {
		pairing_identity_free(d.identity);
		daemon_check_units_offline(&d.config);
		if (d.config_required)
			printf("%s: configuration is valid\n", d.config_path);
		else
			printf("%s: not present; the built-in defaults apply\n", d.config_path);
		config_free(&d.config);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	int rc = 1;
	if (daemon_start(&d) == 0) {
		log_info("backupd %s started", BACKUPD_VERSION);
		event_base_dispatch(d.base);
		rc = d.exit_code;
	}
	daemon_finish(&d);
	return rc;
}
