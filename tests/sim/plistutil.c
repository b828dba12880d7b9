/* SPDX-License-Identifier: ISC */
/* Small plist helpers shared by the simulator's files. */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *plist_str(plist_t dict, const char *key)
{
	plist_t node = dict ? plist_dict_get_item(dict, key) : NULL;
	if (!node || plist_get_node_type(node) != PLIST_STRING)
		return NULL;
	return plist_get_string_ptr(node, NULL);
}

/* Typed value from the control protocol: true/false, a decimal integer, else a string. */
plist_t plist_parse_value(const char *text)
{
	if (strcmp(text, "true") == 0)
		return plist_new_bool(1);
	if (strcmp(text, "false") == 0)
		return plist_new_bool(0);
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (*text && end && *end == '\0' && errno == 0)
		return plist_new_uint((uint64_t)v);
	return plist_new_string(text);
}
