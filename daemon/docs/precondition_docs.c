/* SPDX-License-Identifier: ISC */
/* Writes what the precondition table documents into a template at its line "@PRECONDITIONS@":
 * the journal catalog's entry of each precondition (--catalog) or backupd(8)'s list of them
 * (--man, scdoc). Run by the build (systemd/, man/), so neither text names a precondition.
 * Usage: precondition_docs --catalog|--man TEMPLATE >OUTPUT */
#include <stdio.h>
#include <string.h>

#include "precondition.h"

#define WIDTH 90

/* Prints text word-wrapped at WIDTH, each '\n' a line of its own; a line "N. ..." continues
 * indented under its text. */
static void wrapped(const char *text)
{
	while (*text != '\0') {
		size_t line = strcspn(text, "\n");
		const char *indent =
		    (text[0] >= '1' && text[0] <= '9' && text[1] == '.') ? "   " : "";
		size_t column = 0;
		const char *at = text, *end = text + line;

		while (at < end) {
			size_t word = strcspn(at, " \n");
			if (at + word > end)
				word = (size_t)(end - at);
			if (column > 0 && column + 1 + word > WIDTH) {
				printf("\n%s", indent);
				column = strlen(indent);
			} else if (column > 0) {
				putchar(' ');
				column++;
			}
			fwrite(at, 1, word, stdout);
			column += word;
			at += word;
			while (at < end && *at == ' ')
				at++;
		}
		putchar('\n');
		text = *end == '\n' ? end + 1 : end;
	}
}

static void catalog_entry(const struct precondition_info *entry)
{
	const struct precondition_catalog *c = &entry->catalog;
	char fix[2048];

	printf("-- %s\nSubject: %s\nDefined-By: backupd\nSupport: %s\n\n", entry->message_id,
	       c->subject, c->support ? c->support : "https://support.apple.com/");
	wrapped(c->explain);
	snprintf(fix, sizeof(fix), "To fix it: %s%s", entry->fix, c->fix_more ? c->fix_more : ".");
	putchar('\n');
	wrapped(fix);
	putchar('\n');
}

/* scdoc marks * and _ ; a backslash escapes them. */
static void scd(const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '*' || *text == '_' || *text == '\\')
			putchar('\\');
		putchar(*text);
	}
}

static void man_entry(const struct precondition_info *entry)
{
	printf("*");
	scd(entry->name);
	printf("* (");
	scd(entry->title);
	printf(")\n\tFrom ");
	scd(entry->reads);
	printf(". Blocker word *");
	scd(entry->blocker);
	printf("*; journal MESSAGE\\_ID %s. ", entry->message_id);
	for (int k = 0; k < PRECOND_KEYS_MAX && entry->keys[k].kind != LIMIT_NONE; k++) {
		printf("%s*", k == 0 ? "Reads *[Rules]* " : ", ");
		scd(entry->keys[k].name);
		printf("=*");
	}
	if (entry->keys[0].kind != LIMIT_NONE)
		printf(" (per phone in *[Device* _UDID_*]*). ");
	printf("When it cannot be read, the phone is %s. First fix: ",
	       entry->unknown_allows_ready ? "still ready if nothing else holds it back"
	                                   : "not called ready");
	scd(entry->fix);
	printf(".\n\n");
}

int main(int argc, char **argv)
{
	char line[4096];
	FILE *template;
	bool man;

	if (argc != 3 || (strcmp(argv[1], "--catalog") != 0 && strcmp(argv[1], "--man") != 0)) {
		fprintf(stderr, "usage: precondition_docs --catalog|--man TEMPLATE\n");
		return 2;
	}
	man = strcmp(argv[1], "--man") == 0;
	template = fopen(argv[2], "r");
	if (template == NULL) {
		perror(argv[2]);
		return 1;
	}
	while (fgets(line, sizeof(line), template) != NULL) {
		if (strcmp(line, "@PRECONDITIONS@\n") != 0) {
			fputs(line, stdout);
			continue;
		}
		for (int i = 0; i < PRECOND_COUNT; i++) {
			const struct precondition_info *entry =
			    precondition_info((enum precondition_id)i);
			if (man)
				man_entry(entry);
			else
				catalog_entry(entry);
		}
	}
	fclose(template);
	return ferror(stdout) ? 1 : 0;
}
