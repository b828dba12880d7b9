/* SPDX-License-Identifier: ISC */
/* Prints every MESSAGE_ID backupd writes as "ID NAME", one a line: the preconditions' (their
 * entries, daemon/backupd/precond/) as "precondition.NAME", then the others of
 * daemon/backupd/journal/message_ids.c, so the catalog test checks the catalog against the C
 * tables themselves and the two cannot drift. */
#include <stdio.h>

#include "message_ids.h"
#include "precondition.h"

int main(void)
{
	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)i);
		printf("%s precondition.%s\n", entry->message_id, entry->name);
	}
	for (int i = 0; i < MSG_COUNT; i++) {
		const struct message_id_info *info = message_id_info((enum message_key)i);
		printf("%s %s\n", info->id, info->name);
	}
	return 0;
}
