/* SPDX-License-Identifier: ISC */
/* control_request: reading one request line of the control protocol (control_protocol.h)
 * into its verb and arguments. No socket and no fleet: the server and the verbs call it, and
 * the fuzz target (tests/fuzz) drives it directly. */
#ifndef BACKUPD_CONTROL_REQUEST_H
#define BACKUPD_CONTROL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "control_verb.h"

enum control_request_verdict {
	CONTROL_REQUEST_OK,      /* *request_out (owned by the caller), *verb_out, *set_out set */
	CONTROL_REQUEST_REFUSED, /* answer message and keep the connection (unknown verb) */
	CONTROL_REQUEST_FATAL,   /* answer message and close (not JSON, not an object, version) */
};

/* Parses line (length bytes without the newline, not NUL-terminated) and finds its verb in
 * sets. Anything but OK leaves *request_out NULL and a one-line answer in message. */
enum control_request_verdict
control_request_parse(const char *line, size_t length, const struct control_verb_set *sets,
                      size_t n_sets, json_t **request_out, const struct control_verb **verb_out,
                      const struct control_verb_set **set_out, char *message, size_t message_size);

/* Checks request's arguments against verb->args: true, or false with the answer in message. */
bool control_request_args_ok(const struct control_verb *verb, const json_t *request, char *message,
                             size_t message_size);

/* The verb named name in sets, or NULL; *set_out (may be NULL) is its set. */
const struct control_verb *control_verb_find(const struct control_verb_set *sets, size_t n_sets,
                                             const char *name,
                                             const struct control_verb_set **set_out);

/* The request's "devices" as an array of strings borrowed from request (the caller frees the
 * array); NULL with *n = 0 when absent or on a bad value, which *bad then describes. */
const char **control_request_devices(const json_t *request, size_t *n, const char **bad);

#endif
