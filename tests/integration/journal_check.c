/* SPDX-License-Identifier: ISC */
/* journal_check: counts the entries of `journalctl -o json` output that match every condition,
 * so shell tests can assert on a real journal without jq.
 *
 * Usage: journal_check [--count N] [--print FIELD] FILE|- CONDITION...
 *   CONDITION  FIELD=VALUE   the field equals VALUE (for a field given several times, one of
 *                            its values does)
 *              FIELD~TEXT    the field contains TEXT
 *              FIELD         the field is present
 *              !FIELD        the field is absent
 *   --count N    succeed only when exactly N entries match (default: at least one)
 *   --print F    print field F of every matching entry, one a line
 * Prints "N matching" on stdout. Exit 0 when the count is as required, 1 when not (saying so
 * on stderr), 2 on bad usage or input that is not one JSON object a line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static bool value_matches(json_t *value, const char *expected, bool substring)
{
	size_t i;
	json_t *item;

	if (json_is_array(value)) {
		json_array_foreach(value, i,
		                   item) if (value_matches(item, expected, substring)) return true;
		return false;
	}
	if (!json_is_string(value))
		return false;
	if (substring)
		return strstr(json_string_value(value), expected) != NULL;
	return strcmp(json_string_value(value), expected) == 0;
}

static bool condition_holds(json_t *entry, const char *condition)
{
	char field[256];
	size_t len = strcspn(condition, "=~");

	if (condition[0] == '!')
		return json_object_get(entry, condition + 1) == NULL;
	if (len >= sizeof(field))
		return false;
	memcpy(field, condition, len);
	field[len] = '\0';
	if (condition[len] == '\0')
		return json_object_get(entry, field) != NULL;
	return value_matches(json_object_get(entry, field), condition + len + 1,
	                     condition[len] == '~');
}

static bool entry_matches(json_t *entry, char **conditions, int n)
{
	for (int i = 0; i < n; i++)
		if (!condition_holds(entry, conditions[i]))
			return false;
	return true;
}

static void print_field(json_t *entry, const char *field)
{
	json_t *value = json_object_get(entry, field);
	char *text;

	if (json_is_string(value)) {
		printf("%s\n", json_string_value(value));
		return;
	}
	text = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	printf("%s\n", text ? text : "");
	free(text);
}

static int usage(void)
{
	fprintf(stderr, "usage: journal_check [--count N] [--print FIELD] FILE|- CONDITION...\n");
	return 2;
}

int main(int argc, char **argv)
{
	long want = -1, matched = 0, line_no = 0;
	const char *print = NULL;
	char *line = NULL;
	size_t cap = 0;
	FILE *in;
	int i = 1;

	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2]; i += 2) {
		if (strcmp(argv[i], "--count") == 0)
			want = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--print") == 0)
			print = argv[i + 1];
		else
			return usage();
	}
	if (i >= argc)
		return usage();
	in = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
	if (!in) {
		perror(argv[i]);
		return 2;
	}
	while (getline(&line, &cap, in) > 0) {
		json_error_t error;
		json_t *entry = json_loads(line, 0, &error);
		line_no++;
		if (!json_is_object(entry)) {
			fprintf(stderr, "%s:%ld: not a JSON object: %s\n", argv[i], line_no,
			        error.text);
			json_decref(entry);
			free(line);
			return 2;
		}
		if (entry_matches(entry, argv + i + 1, argc - i - 1)) {
			matched++;
			if (print)
				print_field(entry, print);
		}
		json_decref(entry);
	}
	free(line);
	if (in != stdin)
		fclose(in);
	printf("%ld matching\n", matched);
	if ((want < 0 && matched > 0) || matched == want)
		return 0;
	fprintf(stderr, "journal_check: %ld entries match, expected %s%ld:", matched,
	        want < 0 ? "at least " : "", want < 0 ? 1 : want);
	for (int c = i + 1; c < argc; c++)
		fprintf(stderr, " %s", argv[c]);
	fprintf(stderr, "\n");
	return 1;
}
