/* SPDX-License-Identifier: ISC */
/* control_verb: one entry per verb of the control socket, and the sets the daemon registers.
 *
 * An entry says everything the dispatcher (control.c) checks before the handler runs: the
 * verb's name, which request arguments it takes (their shape is checked here, their meaning
 * by the handler), and whether it is read-only (anyone the socket admits, ControlGroup=) or
 * an action (also only whom its set's authorize hook admits: [Actions] Allow=, ActionGroup=).
 * A handler therefore never sees a request it would have to refuse for its form or its asker.
 * Adding a read-only verb is its handler and one line in a set's table. */
#ifndef BACKUPD_CONTROL_VERB_H
#define BACKUPD_CONTROL_VERB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct control_client;

/* request is the whole parsed request object (borrowed: valid during the call only). */
typedef void (*control_handler_fn)(void *arg, struct control_client *client, const json_t *request);
/* priority is a syslog LOG_* level; message is one line without a newline. */
typedef void (*control_log_fn)(void *arg, int priority, const char *message);

enum control_access {
	CONTROL_READ_ONLY, /* reads state: anyone the socket admits */
	CONTROL_ACTION,    /* changes phones: also needs the set's authorize hook to agree */
};

/* The arguments a verb takes; keys a verb does not take are ignored, as they always were. */
enum control_args {
	CONTROL_ARGS_NONE,    /* nothing */
	CONTROL_ARGS_DEVICES, /* optional "devices": an array of strings (none = every phone) */
	CONTROL_ARGS_PHONES,  /* "devices" (at least one) or "all": true, never both */
};

struct control_verb {
	const char *name;
	enum control_access access;
	enum control_args args;
	control_handler_fn handler;
};

/* true when client may run verb (an action of this set); else why says what to change. */
typedef bool (*control_authorize_fn)(void *arg, const struct control_verb *verb,
                                     struct control_client *client, char *why, size_t why_size);

/* A table of verbs with the object its handlers and authorize hook take. */
struct control_verb_set {
	const struct control_verb *verbs;
	size_t n_verbs;
	void *arg;
	control_authorize_fn authorize; /* needed when the set has an action */
};

#define CONTROL_VERBS_OF(table) (sizeof(table) / sizeof((table)[0]))

#endif
