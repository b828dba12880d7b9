/* SPDX-License-Identifier: ISC */
/* Reading a control request: the JSON envelope ("v", "verb") and the verbs' arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_protocol.h"
#include "control_request.h"
#include "xmalloc.h"

static const struct control_verb *find_verb(const struct control_verb *verbs, size_t n_verbs,
                                            const char *name)
{
	for (size_t i = 0; i < n_verbs; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

static enum control_request_verdict check_envelope(const json_t *request,
                                                   const struct control_verb *verbs, size_t n_verbs,
                                                   const struct control_verb **verb_out,
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
	*verb_out = name ? find_verb(verbs, n_verbs, name) : NULL;
	if (*verb_out == NULL) {
		snprintf(message, message_size, "unknown verb \"%.60s\"", name ? name : "");
		return CONTROL_REQUEST_REFUSED;
	}
	return CONTROL_REQUEST_OK;
}

enum control_request_verdict control_request_parse(const char *line, size_t length,
                                                   const struct control_verb *verbs, size_t n_verbs,
                                                   json_t **request_out,
                                                   const struct control_verb **verb_out,
                                                   char *message, size_t message_size)
{
	json_error_t error;
	json_t *request = json_loadb(line, length, JSON_REJECT_DUPLICATES, &error);

	*request_out = NULL;
	*verb_out = NULL;
	if (request == NULL) {
		snprintf(message, message_size, "malformed request: not JSON");
		return CONTROL_REQUEST_FATAL;
	}
	enum control_request_verdict verdict =
	    check_envelope(request, verbs, n_verbs, verb_out, message, message_size);
	if (verdict == CONTROL_REQUEST_OK)
		*request_out = request;
	else
		json_decref(request);
	return verdict;
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
