/* SPDX-License-Identifier: ISC */
/* backupctl's action verbs (enable-backup, restart, pair, unpair: its table in backupctl.c):
 * ask backupd to act on phones, then print what each phone answered and its verdicts after a
 * fresh probe. */
#include <stdio.h>
#include <string.h>

#include "control_protocol.h"
#include "ctl.h"

static int print_actions(const struct ctl_options *options, const json_t *reply)
{
	const json_t *actions = json_object_get(reply, "actions");
	int failed = 0;
	size_t index;
	const json_t *item;
	json_array_foreach(actions, index, item)
	{
		const char *outcome = json_string_value(json_object_get(item, "outcome"));
		bool done = outcome && strcmp(outcome, "done") == 0;
		failed += !done;
		if (options->json)
			continue;
		const char *name = json_string_value(json_object_get(item, "name"));
		const char *udid = json_string_value(json_object_get(item, "udid"));
		printf("%s%s%s: %s\n", ctl_color(done ? CTL_COLOR_GREEN : CTL_COLOR_RED),
		       name && name[0] ? name : udid, ctl_color(CTL_COLOR_RESET),
		       json_string_value(json_object_get(item, "message")));
	}
	if (!options->json && options->legend)
		printf("\n");
	return failed;
}

int ctl_run_action(const struct ctl_options *options, const char *verb, int timeout_ms,
                   bool phones_only, int argc, char **argv)
{
	/* unpair: removing every record of a cart by a slip would need every phone paired again. */
	if (phones_only && options->all) {
		fprintf(stderr, "backupctl: %s takes the phones by name, not --all\n", verb);
		return CTL_EXIT_USAGE;
	}
	if (argc == 0 && !options->all) {
		fprintf(
		    stderr,
		    "backupctl: %s needs the phones (UDID or name), or --all for every attached "
		    "phone\n",
		    verb);
		return CTL_EXIT_USAGE;
	}
	if (argc > 0 && options->all) {
		fprintf(stderr, "backupctl: %s takes phones or --all, not both\n", verb);
		return CTL_EXIT_USAGE;
	}
	struct ctl_options longer = *options;
	longer.timeout_ms = timeout_ms;
	json_t *request = ctl_request(verb, argc, argv);
	if (options->all) {
		json_object_del(request, "devices");
		json_object_set_new(request, "all", json_true());
	}
	int exit_code;
	json_t *reply = ctl_call(&longer, request, &exit_code);
	if (reply == NULL)
		return exit_code;
	int failed = print_actions(options, reply);
	exit_code = ctl_print_status_reply(options, reply);
	json_decref(reply);
	return failed ? CTL_EXIT_ACTION_FAILED : exit_code;
}
