/* SPDX-License-Identifier: ISC */
/* Prints every key of backupd.conf's key table as "Section Key", one a line: the drift test
 * (docs_keys.sh) compares them with conf/backupd.conf and backupd.conf(5). It reads the table
 * through config_keys_of(), so a key added to the table is listed without touching this. */
#include <stdio.h>
#include <string.h>

#include "config_keys.h"

static int print_section(enum config_section section)
{
	char keys[8192];
	config_keys_of(section, keys, sizeof(keys));
	if (strlen(keys) >= sizeof(keys) - 1) {
		fprintf(stderr, "config_keys_list: the key list of [%s] does not fit\n",
		        config_section_name(section));
		return -1;
	}
	for (char *key = strtok(keys, ", "); key != NULL; key = strtok(NULL, ", "))
		printf("%s %s\n", config_section_name(section), key);
	return 0;
}

int main(void)
{
	/* [Device] only repeats keys of [Rules] that a phone may override. */
	for (int section = SECTION_NONE + 1; section < SECTION_COUNT; section++)
		if (section != SECTION_DEVICE && print_section((enum config_section)section) < 0)
			return 1;
	return 0;
}
