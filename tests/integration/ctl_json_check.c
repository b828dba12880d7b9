/* SPDX-License-Identifier: ISC */
/* Checks JSON on stdin field by field (jq is not installed):
 *   ctl_json_check 'summary.devices=5' 'devices.0.udid="ABC"' 'devices.0.last_backup:null'
 * PATH=JSON compares with json_equal; PATH:TYPE checks the type (string, integer, boolean,
 * null, array, object); PATH#N checks an array's or object's size. Numeric path segments
 * index arrays. Exit 0 when every check holds; each failure is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const json_t *lookup(const json_t *root, const char *path)
{
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", path);
	const json_t *node = root;
	for (char *save = NULL, *part = strtok_r(copy, ".", &save); part && node;
	     part = strtok_r(NULL, ".", &save)) {
		char *end;
		long index = strtol(part, &end, 10);
		node = json_is_array(node) && *end == '\0' ? json_array_get(node, (size_t)index)
		                                           : json_object_get(node, part);
	}
	return node;
}

static const char *type_name(const json_t *node)
{
	static const char *const names[] = {
	    [JSON_OBJECT] = "object",   [JSON_ARRAY] = "array", [JSON_STRING] = "string",
	    [JSON_INTEGER] = "integer", [JSON_REAL] = "real",   [JSON_TRUE] = "boolean",
	    [JSON_FALSE] = "boolean",   [JSON_NULL] = "null",
	};
	return node ? names[json_typeof(node)] : "missing";
}

static size_t node_size(const json_t *node)
{
	return json_is_array(node) ? json_array_size(node) : json_object_size(node);
}

/* Returns 1 when the check fails. */
static int check(const json_t *root, const char *spec)
{
	char path[512];
	size_t split = strcspn(spec, "=:#");
	snprintf(path, sizeof(path), "%.*s", (int)split, spec);
	const json_t *node = lookup(root, path);
	const char *want = spec[split] ? spec + split + 1 : "";
	int bad = 1;
	if (spec[split] == ':') {
		bad = strcmp(type_name(node), want) != 0;
	} else if (spec[split] == '#') {
		bad = node == NULL || node_size(node) != (size_t)atol(want);
	} else if (spec[split] == '=') {
		json_t *expected = json_loads(want, JSON_DECODE_ANY, NULL);
		bad = expected == NULL || node == NULL || !json_equal(node, expected);
		json_decref(expected);
	}
	if (bad) {
		char *got = node ? json_dumps(node, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
		fprintf(stderr, "json check failed: %s (got %s)\n", spec, got ? got : "missing");
		free(got);
	}
	return bad;
}

int main(int argc, char **argv)
{
	json_error_t error;
	json_t *root = json_loadf(stdin, 0, &error);
	if (root == NULL) {
		fprintf(stderr, "json check: stdin is not JSON: %s\n", error.text);
		return 1;
	}
	int failures = 0;
	for (int i = 1; i < argc; i++)
		failures += check(root, argv[i]);
	json_decref(root);
	return failures ? 1 : 0;
}
