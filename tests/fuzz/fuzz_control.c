/* SPDX-License-Identifier: ISC */
/* libFuzzer target: one control request line through control_request_parse, the argument
 * check of its verb's entry and the verbs' argument reading, as the control server frames it
 * (bytes up to the first newline). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control_protocol.h"
#include "control_request.h"
#include "control_verbs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *newline = memchr(data, '\n', size);
	size_t length = newline ? (size_t)(newline - data) : size;
	if (length + 1 > CONTROL_REQUEST_MAX)
		return -1; /* the server refuses it before parsing: "request too long" */

	const struct control_verb_set set = control_verbs(NULL);
	const struct control_verb *verb;
	const struct control_verb_set *found;
	json_t *request;
	char message[160] = "";
	enum control_request_verdict verdict = control_request_parse(
	    (const char *)data, length, &set, 1, &request, &verb, &found, message, sizeof(message));
	if (verdict != CONTROL_REQUEST_OK) {
		if (request != NULL || message[0] == '\0')
			abort(); /* refused requests are answered with a reason */
		return 0;
	}
	if (verb == NULL || request == NULL || found != &set)
		abort();
	message[0] = '\0';
	if (!control_request_args_ok(verb, request, message, sizeof(message))) {
		if (message[0] == '\0')
			abort(); /* a refusal says why */
		json_decref(request);
		return 0;
	}
	size_t n_devices;
	const char *bad;
	const char **devices = control_request_devices(request, &n_devices, &bad);
	if (bad != NULL && devices != NULL)
		abort();
	/* The entry's check let the request through: a verb reading "devices" must not refuse it.
	 */
	if (bad != NULL && verb->args == CONTROL_ARGS_DEVICES)
		abort();
	for (size_t i = 0; i < n_devices; i++)
		if (devices[i] == NULL)
			abort();
	(void)json_is_true(json_object_get(request, "detail"));
	free(devices);
	json_decref(request);
	return 0;
}
