/* SPDX-License-Identifier: ISC */
/* JSON strings from device text, for every reply that carries it. */
#include <stdlib.h>
#include <string.h>

#include "json_text.h"

json_t *json_text(const char *text)
{
	json_t *string = json_string(text);
	if (string != NULL)
		return string;
	/* Not UTF-8 (a device name can be anything): keep the ASCII, mark the rest. */
	char *copy = strdup(text);
	if (copy == NULL)
		return json_string("");
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	string = json_string(copy);
	free(copy);
	return string;
}
