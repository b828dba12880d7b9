/* SPDX-License-Identifier: ISC */
/* Prints every MESSAGE_ID of daemon/backupd/journal/message_ids.c as "ID NAME", one a line, so the
 * catalog test checks the catalog against the C table itself and the two cannot drift. */
#include <stdio.h>

#include "message_ids.h"

int main(void)
{
	for (int i = 0; i < MSG_COUNT; i++) {
		const struct message_id_info *info = message_id_info((enum message_key)i);
		printf("%s %s\n", info->id, info->name);
	}
	return 0;
}
