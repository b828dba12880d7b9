/* SPDX-License-Identifier: ISC */
/* Reading a control request: the JSON envelope ("v", "verb") and the verbs' arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_protocol.h"
#include "control_request.h"
#include "xmalloc.h"

const struct control_verb *control_verb_find(const struct control_verb_set *sets, size_t n_sets,
                                             const char *name,
                                             const struct control_verb_set **set_out)
{
	for (size_t s = 0; s < n_sets; s++)
		for (size_t i = 0; i < sets[s].n_verbs; i++)
			if (strcmp(sets[s].verbs[i].name, name) == 0) {
				if (set_out)
					*set_out = &sets[s];
				return &sets[s].verbs[i];
			}
	return NULL;
}

static enum control_request_verdict
check_envelope(const json_t *request, const struct control_verb_set *sets, size_t n_sets,
               const struct control_verb **verb_out, const struct control_verb_set **set_out,
               char *message, size_t message_size)
{
	if (!json_is_object(request)) {
		snprintf(message, message_size,
		         "malformed request: expected one JSON object per line");
		return CONTROL_REQUEST_FATAL;
	}
	json_t *version = json_object_get(request, "v");
	if (!json_is_integer(version) || json_integer_value(version) != CONTROL_PROTOCOL_VERSION) {
		snprintf(message, message_size,
		         "protocol version mismatch: backupd speaks version %d; "
		         "use a backupctl of the same release",
		         CONTROL_PROTOCOL_VERSION);
		return CONTROL_REQUEST_FATAL;
	}
	const char *name = json_string_value(json_object_get(request, "verb"));
	*verb_out = name ? control_verb_find(sets, n_sets, name, set_out) : NULL;
	if (*verb_out == NULL) {
		snprintf(message, message_size, "unknown verb \"%.60s\"", name ? name : "");
		return CONTROL_REQUEST_REFUSED;
	}
	return CONTROL_REQUEST_OK;
}

enum control_request_verdict
control_request_parse(const char *line, size_t length, const struct control_verb_set *sets,
                      size_t n_sets, json_t **request_out, const struct control_verb **verb_out,
                      const struct control_verb_set **set_out, char *message, size_t message_size)
{
	json_error_t error;
	json_t *request = json_loadb(line, length, JSON_REJECT_DUPLICATES, &error);

	*request_out = NULL;
	*verb_out = NULL;
	*set_out = NULL;
	if (request == NULL) {
		snprintf(message, message_size, "malformed request: not JSON");
		return CONTROL_REQUEST_FATAL;
	}
	enum control_request_verdict verdict =
	    check_envelope(request, sets, n_sets, verb_out, set_out, message, message_size);
	if (verdict == CONTROL_REQUEST_OK)
		*request_out = request;
	else
		json_decref(request);
	return verdict;
}

/* "devices" absent, null, or an array of strings. */
static bool devices_shape_ok(const json_t *list)
{
	if (!list || json_is_null(list))
		return true;
	if (!json_is_array(list))
		return false;
	for (size_t i = 0; i < json_array_size(list); i++)
		if (!json_is_string(json_array_get(list, i)))
			return false;
	return true;
}

/* An action names its phones or asks for "all" attached ones; naming none without "all" is
 * refused, so a slip of the keyboard restarts nothing. */
static bool phones_ok(const json_t *request, char *message, size_t message_size)
{
	const json_t *list = json_object_get(request, "devices");
	bool all = json_is_true(json_object_get(request, "all"));
	size_t count = json_is_array(list) ? json_array_size(list) : 0;
	if ((list && !json_is_null(list) && !json_is_array(list)) || (all && count > 0)) {
		snprintf(message, message_size, "name phones in \"devices\", or set \"all\"");
		return false;
	}
	if (!all && count == 0) {
		snprintf(message, message_size, "name the phones, or --all for every attached one");
		return false;
	}
	return true;
}

bool control_request_args_ok(const struct control_verb *verb, const json_t *request, char *message,
                             size_t message_size)
{
	switch (verb->args) {
	case CONTROL_ARGS_NONE:
		return true;
	case CONTROL_ARGS_DEVICES:
		if (devices_shape_ok(json_object_get(request, "devices")))
			return true;
		snprintf(message, message_size, "\"devices\" must be an array of strings");
		return false;
	case CONTROL_ARGS_PHONES:
		return phones_ok(request, message, message_size);
	}
	snprintf(message, message_size, "%s: no argument rule", verb->name);
	return false;
}

const char **control_request_devices(const json_t *request, size_t *n, const char **bad)
{
	const json_t *list = json_object_get(request, "devices");
	*n = 0;
	*bad = NULL;
	if (!list || json_is_null(list))
		return NULL;
	if (!json_is_array(list)) {
		*bad = "\"devices\" must be an array of strings";
		return NULL;
	}
	size_t count = json_array_size(list);
	const char **names = xcalloc(count ? count : 1, sizeof(*names));
	for (size_t i = 0; i < count; i++) {
		names[i] = json_string_value(json_array_get(list, i));
		if (!names[i]) {
			*bad = "\"devices\" must be an array of strings";
			free(names);
			return NULL;
		}
	}
	*n = count;
	return names;
}
