/* SPDX-License-Identifier: ISC */
/* backupctl: asks backupd which phones will not back up to iCloud, and why. */
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_protocol.h"
#include "ctl.h"
#include "humanize.h"
#include "version.h"

/* One entry per verb: the --help text, the completion (completion/backupctl reads --help)
 * and the argument check all come from here; backupctl(1) says the same (completion_test.sh
 * checks that it names every verb). A verb with render only is asked with no arguments and
 * its reply rendered; run does both itself. */
struct ctl_verb {
	const char *name;
	const char *args; /* for --help: "PHONE...", "[UDID...]"; UDID or PHONE completes names */
	const char *help; /* lines for --help, each ending in \n */
	int min_args, max_args;
	int (*run)(const struct ctl_options *options, int argc, char **argv);
	int (*render)(const struct ctl_options *options, const json_t *reply);
	int usage_exit; /* a usage error's exit status */
	/* An action verb (run and render NULL): how long its request may take, and whether it
	 * refuses --all (ctl_action.c runs every action the same way). */
	int action_timeout_ms;
	bool phones_only;
};

/* backupctl's version and the running daemon's: one that differs after an upgrade says the
 * daemon was not restarted. */
static int render_version(const struct ctl_options *options, const json_t *reply)
{
	if (options->json) {
		ctl_print_json(reply);
		return CTL_EXIT_OK;
	}
	const char *version = json_string_value(json_object_get(reply, "version"));
	json_int_t started = json_integer_value(json_object_get(reply, "started"));
	json_int_t now = json_integer_value(json_object_get(reply, "now"));
	char since[80] = "", up[32], at[32];
	if (json_is_integer(json_object_get(reply, "started")))
		snprintf(since, sizeof(since), ", up %s (since %s)",
		         humanize_duration(now - started, up, sizeof(up)),
		         humanize_utc(started, at, sizeof(at)));
	printf("backupctl %s (protocol %d)\n", BACKUPD_VERSION, CONTROL_PROTOCOL_VERSION);
	printf("backupd %s (protocol %lld), pid %lld%s\n", version ? version : "?",
	       (long long)json_integer_value(json_object_get(reply, "protocol")),
	       (long long)json_integer_value(json_object_get(reply, "pid")), since);
	if (version && strcmp(version, BACKUPD_VERSION) != 0)
		printf("backupd runs another version than this backupctl: restart it after an "
		       "upgrade\n");
	return CTL_EXIT_OK;
}

#define ANY INT_MAX

static const struct ctl_verb verbs[] = {
    {"status", "[UDID|NAME...]",
     "one row per device (the default verb); with exactly one\n"
     "device named: every precondition, its reason and fix\n",
     0, ANY, ctl_verb_status, NULL, CTL_EXIT_USAGE, 0, false},
    {"refresh", "[UDID...]", "probe now (all devices when none named), then show status\n", 0, ANY,
     ctl_verb_refresh, NULL, CTL_EXIT_USAGE, 0, false},
    {"feed", "", "what Apple's status feed says about iCloud Backup\n", 0, 0, NULL, ctl_render_feed,
     CTL_EXIT_USAGE, 0, false},
    {"check", "", "Nagios/Icinga plugin: one line, perfdata, exit 0-3\n", 0, 0, ctl_verb_check,
     NULL, CTL_CHECK_UNKNOWN, 0, false},
    {"enable-backup", "PHONE...", "switch iCloud Backup on over USB (needs [Actions] Allow=)\n", 0,
     ANY, NULL, NULL, CTL_EXIT_USAGE, CTL_ACTION_TIMEOUT_MS, false},
    {"restart", "PHONE...", "restart the phones and wait until they are back\n", 0, ANY, NULL, NULL,
     CTL_EXIT_USAGE, CTL_RESTART_TIMEOUT_MS, false},
    {"pair", "PHONE...",
     "pair with this computer: with the supervision identity\n"
     "when one is set (no dialog), else the phone shows Trust\n",
     0, ANY, NULL, NULL, CTL_EXIT_USAGE, CTL_ACTION_TIMEOUT_MS, false},
    {"unpair", "PHONE...",
     "remove this computer's pair record for the phones\n"
     "(all four: --all for every attached phone, unpair\n"
     "excepted; root or ActionGroup; each needs Allow=)\n",
     1, ANY, NULL, NULL, CTL_EXIT_USAGE, CTL_ACTION_TIMEOUT_MS, true},
    {"slots", "",
     "every USB port a phone was seen in: cart and slot name,\n"
     "the phone in it now (or empty since when), the last one\n",
     0, 0, NULL, ctl_render_slots, CTL_EXIT_USAGE, 0, false},
    {"version", "", "the running backupd's version, pid and uptime\n", 0, 0, NULL, render_version,
     CTL_EXIT_USAGE, 0, false},
};

/* "  status [UDID|NAME...]  one row per device...": the name and arguments in a column of
 * 22, the help beside it, its further lines under it. */
static void usage_verbs(FILE *out)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		char head[64];
		snprintf(head, sizeof(head), "%s%s%s", verbs[i].name, verbs[i].args[0] ? " " : "",
		         verbs[i].args);
		const char *line = verbs[i].help;
		for (bool first = true; *line; first = false) {
			const char *end = strchr(line, '\n');
			fprintf(out, "  %-22s %.*s\n", first ? head : "", (int)(end - line), line);
			line = end + 1;
		}
	}
}

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: backupctl [OPTIONS] [VERB [ARGS...]]\n"
	    "\n"
	    "Shows which iPhones attached to this machine will not back up to iCloud, and why.\n"
	    "\n"
	    "Verbs:\n");
	usage_verbs(out);
	fprintf(out,
	        "\n"
	        "Options:\n"
	        "  --json            print the daemon's reply as JSON (stable field names,\n"
	        "                    in /usr/share/doc/backupd/control-protocol.txt)\n"
	        "  --no-legend       rows for scripts: tab-separated, never cut, UDID first,\n"
	        "                    seconds and percent (columns in backupctl(1))\n"
	        "  --full            never cut a cell (a pipe never is; only a terminal)\n"
	        "  --state=LIST      only devices in one of: ready, not-ready, unknown,\n"
	        "                    attached, detached (comma-separated)\n"
	        "  --all             enable-backup, restart, pair: every attached phone\n"
	        "  --socket PATH     control socket (default $BACKUPCTL_SOCKET, else %s)\n"
	        "  -w, --warning N|N%%  check: WARNING when more than N (N%%) devices not ready\n"
	        "                    (default 0)\n"
	        "  -c, --critical N|N%% check: CRITICAL likewise (default none)\n"
	        "  -V, --version     print the version\n"
	        "  -h, --help        this help\n"
	        "\n"
	        "Colour is used only when stdout is a terminal and NO_COLOR is unset.\n"
	        "\n"
	        "Exit status:\n"
	        "  0  every device shown is ready (feed: Apple reports iCloud Backup operational)\n"
	        "  1  some device is not ready or its readiness is unknown, or the probe helpers\n"
	        "     cannot start (feed: an event, or the feed state is unknown)\n"
	        "  2  usage error, or a named device is not known to backupd\n"
	        "  3  backupd unreachable, permission denied (or the action is not allowed), or\n"
	        "     protocol error\n"
	        "  4  enable-backup, restart, pair, unpair: the action failed on some phone (each\n"
	        "     says why)\n"
	        "  check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for usage errors)\n"
	        "\n"
	        "See backupctl(1).\n",
	        CONTROL_DEFAULT_SOCKET);
}

enum { OPT_JSON = 256, OPT_NO_LEGEND, OPT_SOCKET, OPT_FULL, OPT_STATE, OPT_ALL };

static const struct option long_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"all", no_argument, NULL, OPT_ALL},
    {"no-legend", no_argument, NULL, OPT_NO_LEGEND},
    {"full", no_argument, NULL, OPT_FULL},
    {"state", required_argument, NULL, OPT_STATE},
    {"socket", required_argument, NULL, OPT_SOCKET},
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"version", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The verb the remaining arguments name: usage errors of "check" exit UNKNOWN (3), as a
 * monitoring plugin must, not 2 (which a monitor reads as CRITICAL). */
static int usage_error(int argc, char **argv, const char *why)
{
	bool check = false;
	for (int i = 1; i < argc && !check; i++)
		check = strcmp(argv[i], "check") == 0;
	if (why != NULL)
		fprintf(stderr, "backupctl: %s\n", why);
	fprintf(stderr, "Try 'backupctl --help'.\n");
	return check ? CTL_CHECK_UNKNOWN : CTL_EXIT_USAGE;
}

static void threshold_option(const char *text, struct ctl_threshold *threshold, bool *bad)
{
	if (ctl_threshold_parse(text, threshold) < 0) {
		fprintf(stderr,
		        "backupctl: threshold \"%s\": expected a count or a percentage "
		        "such as 2 or 10%%\n",
		        text);
		*bad = true;
	}
}

/* Returns -1 to go on to the verb, or the exit code when done (help, version, error). */
static int parse_options(int argc, char **argv, struct ctl_options *options)
{
	const char *env_socket = getenv("BACKUPCTL_SOCKET");
	options->socket_path = env_socket && env_socket[0] ? env_socket : CONTROL_DEFAULT_SOCKET;
	options->legend = true;
	options->timeout_ms = CTL_TIMEOUT_MS;
	options->warning = (struct ctl_threshold){.set = true, .value = 0};
	bool full = false, bad = false;
	int c;
	while ((c = getopt_long(argc, argv, "hVw:c:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			options->json = true;
			break;
		case OPT_ALL:
			options->all = true;
			break;
		case OPT_NO_LEGEND:
			options->legend = false;
			break;
		case OPT_SOCKET:
			options->socket_path = optarg;
			break;
		case OPT_FULL:
			full = true;
			break;
		case OPT_STATE:
			if (ctl_states_parse(optarg, &options->states) < 0) {
				fprintf(stderr,
				        "backupctl: --state=%s: expected a comma-separated "
				        "list of ready, not-ready, unknown, attached, detached\n",
				        optarg);
				bad = true;
			}
			break;
		case 'w':
			threshold_option(optarg, &options->warning, &bad);
			break;
		case 'c':
			threshold_option(optarg, &options->critical, &bad);
			break;
		case 'V':
			printf("backupctl %s (protocol %d)\n", BACKUPD_VERSION,
			       CONTROL_PROTOCOL_VERSION);
			return CTL_EXIT_OK;
		case 'h':
			usage(stdout);
			return CTL_EXIT_OK;
		default:
			bad = true;
		}
	}
	if (bad)
		return usage_error(argc, argv, NULL);
	ctl_table_clip_init(full);
	return -1;
}

/* A verb that only renders: asks with no arguments, renders the reply. */
static int run_render(const struct ctl_options *options, const struct ctl_verb *verb)
{
	int exit_code;
	json_t *request =
	    json_pack("{s:i, s:s}", "v", CONTROL_PROTOCOL_VERSION, "verb", verb->name);
	json_t *reply = ctl_call(options, request, &exit_code);
	if (reply == NULL)
		return exit_code;
	exit_code = verb->render(options, reply);
	json_decref(reply);
	return exit_code;
}

static int dispatch(const struct ctl_options *options, int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "status";
	int n_args = argc > 0 ? argc - 1 : 0;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		const struct ctl_verb *verb = &verbs[i];
		if (strcmp(verb->name, name) != 0)
			continue;
		if (n_args < verb->min_args || n_args > verb->max_args) {
			fprintf(stderr,
			        "backupctl: %s takes %s arguments; see 'backupctl --help'\n", name,
			        verb->max_args == 0 ? "no" : "other");
			return verb->usage_exit;
		}
		if (verb->action_timeout_ms > 0)
			return ctl_run_action(options, verb->name, verb->action_timeout_ms,
			                      verb->phones_only, n_args,
			                      argc > 0 ? argv + 1 : argv);
		if (verb->run == NULL)
			return run_render(options, verb);
		return verb->run(options, n_args, argc > 0 ? argv + 1 : argv);
	}
	fprintf(stderr, "backupctl: unknown verb \"%s\"; see 'backupctl --help'\n", name);
	return CTL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct ctl_options options = {0};
	/* The terminal's character widths for the tables (text_width.h); only LC_CTYPE, so
	 * numbers and messages stay as they are. */
	setlocale(LC_CTYPE, "");
	int done = parse_options(argc, argv, &options);
	if (done >= 0)
		return done;
	ctl_color_init();
	return dispatch(&options, argc - optind, argv + optind);
}
