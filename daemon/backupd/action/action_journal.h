/* SPDX-License-Identifier: ISC */
/* The journal entries of actions (MESSAGE_IDs action.*, systemd/backupd.catalog): every
 * request is told with who asked (ACTION_UID), which action (ACTION), which phone and how it
 * ended (STATE, REASON, PHONE_ERROR_CODE). */
#ifndef BACKUPD_ACTION_JOURNAL_H
#define BACKUPD_ACTION_JOURNAL_H

#include <sys/types.h>

#include "action_kinds.h"
#include "device.h"

/* The "uid" of what backupd does by itself (AutoEnableBackup): journaled as ACTION_UID=auto. */
#define ACTION_UID_AUTO ((uid_t)-1)

struct action_journal_phone {
	const char *udid;
	const char *name;
	enum action_outcome outcome;
	int code;
	const char *message;
};

/* state: the outcome word, or "restarting" for a restart the phone accepted. */
void action_journal_phone(enum action_kind kind, uid_t uid, const struct action_journal_phone *p,
                          const char *state);
/* A request refused before any phone was asked. */
void action_journal_refused(const char *action, uid_t uid, const char *why);

/* A pairing state announced by itself (pairing.expired: the phone rejects this host's record;
 * what happens next depends on AutoPair=). */
void action_journal_pairing(const struct device_record *rec, const struct pair_memory *memory);

#endif
