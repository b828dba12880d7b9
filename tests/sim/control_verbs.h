/* SPDX-License-Identifier: ISC */
/* control_verbs: what each command of the test control socket does (control.c reads the lines
 * and finds the verb here). A command answers with one line, "ok ..." or "error ...". */
#ifndef IDEVICE_SIM_CONTROL_VERBS_H
#define IDEVICE_SIM_CONTROL_VERBS_H

#include "sim.h"

struct reply {
	struct evbuffer *out;
};

typedef void (*control_fn)(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                           struct reply *r);

struct control_command {
	const char *name;
	int min_args, max_args; /* counting the verb */
	bool needs_device;      /* argv[1] is a UDID */
	control_fn fn;
	const char *usage;
};

/* The command called name, or NULL. */
const struct control_command *find_command(const char *name);
void reply_error(struct reply *r, const char *msg);

#endif
