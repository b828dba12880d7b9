/* SPDX-License-Identifier: ISC */
/* Prints every precondition of daemon/common/preconditions.c as "NAME<TAB>MESSAGE_ID<TAB>FIX",
 * one a line, so the catalog and the Prometheus rules are checked against the table itself
 * (tests/integration/test_catalog_fixes.sh, tests/prometheus/test_rules.sh). */
#include <stdio.h>

#include "message_ids.h"
#include "preconditions.h"

int main(void)
{
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *info = precondition_info((enum precondition_id)i);
		printf("%s\t%s\t%s\n", info->name, message_id_for_precondition(info->id),
		       info->fix);
	}
	return 0;
}
