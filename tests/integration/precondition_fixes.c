/* SPDX-License-Identifier: ISC */
/* Prints every precondition of daemon/common/preconditions.c as "NAME<TAB>MESSAGE_ID<TAB>FIX",
 * one a line, so the catalog and the Prometheus rules are checked against the table itself
 * (tests/integration/test_catalog_fixes.sh, tests/prometheus/test_rules.sh). With --unpaired:
 * the pairing states of include/pair_state.h in which a phone cannot be read, as the regular
 * expression "a|b|..." the rules' BackupdPhonesCannotPair must match them with. */
#include <stdio.h>
#include <string.h>

#include "message_ids.h"
#include "pair_state.h"
#include "preconditions.h"
#include "precondition.h"

static void print_unpaired(void)
{
	const char *sep = "";
	for (int i = 0; i < PAIR_STATE_COUNT; i++) {
		if (!pair_state_unpaired((enum pair_state)i))
			continue;
		printf("%s%s", sep, pair_state_word((enum pair_state)i));
		sep = "|";
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--unpaired") == 0) {
		print_unpaired();
		return 0;
	}
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *info = precondition_info((enum precondition_id)i);
		printf("%s\t%s\t%s\n", info->name, message_id_for_precondition(info->id),
		       info->fix);
	}
	return 0;
}
