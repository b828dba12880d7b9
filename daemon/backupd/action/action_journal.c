/* SPDX-License-Identifier: ISC */
/* See action_journal.h. */
#include <stdio.h>

#include "action_journal.h"
#include "journal.h"
#include "message_ids.h"

void action_journal_phone(enum action_kind kind, uid_t uid, const struct action_journal_phone *p,
                          const char *state)
{
	char line[512], uid_field[48], action_field[48], code_field[40];
	const char *name = p->name && p->name[0] ? p->name : p->udid;
	char who[24];
	if (uid == ACTION_UID_AUTO)
		snprintf(who, sizeof(who), "auto");
	else
		snprintf(who, sizeof(who), "%u", (unsigned)uid);
	snprintf(line, sizeof(line), "%s %s (%s%s): %s", action_kind_names[kind], name,
	         uid == ACTION_UID_AUTO ? "" : "uid ", who, p->message);
	snprintf(uid_field, sizeof(uid_field), "ACTION_UID=%s", who);
	snprintf(action_field, sizeof(action_field), "ACTION=%s", action_kind_names[kind]);
	snprintf(code_field, sizeof(code_field), "PHONE_ERROR_CODE=%d", p->code);
	/* Each action's MESSAGE_ID is MSG_ACTION_ and its KIND in ACTION_TABLE. */
#define KEY(kind, name, op, done, message, id) [ACTION_KIND_##kind] = MSG_ACTION_##kind,
	static const enum message_key keys[ACTION_KIND_COUNT] = {ACTION_TABLE(KEY)};
#undef KEY
	enum message_key key = keys[kind];
	if (p->outcome == ACTION_NOT_BACK)
		key = MSG_ACTION_RESTART_OVERDUE;
	struct journal_entry entry = {
	    .message_id = message_id(key),
	    .priority = p->outcome == ACTION_DONE ? LOG_NOTICE : LOG_WARNING,
	    .message = line,
	    .device_udid = p->udid,
	    .device_name = p->name,
	    .state = state,
	    .reason = p->message,
	    .extra = {uid_field, action_field,
	              p->outcome == ACTION_DEVICE_ERROR ? code_field : NULL},
	};
	journal_emit(&entry);
}

void action_journal_refused(const char *action, uid_t uid, const char *why)
{
	char line[512], uid_field[32], action_field[64];
	snprintf(line, sizeof(line), "%s refused for uid %u: %s", action, (unsigned)uid, why);
	snprintf(uid_field, sizeof(uid_field), "ACTION_UID=%u", (unsigned)uid);
	snprintf(action_field, sizeof(action_field), "ACTION=%.40s", action);
	struct journal_entry entry = {
	    .message_id = message_id(MSG_ACTION_REFUSED),
	    .priority = LOG_WARNING,
	    .message = line,
	    .state = "refused",
	    .reason = why,
	    .extra = {uid_field, action_field},
	};
	journal_emit(&entry);
}

void action_journal_pairing(const struct device_record *rec, const struct pair_memory *memory)
{
	char line[512];
	const char *name = rec->facts.name[0] ? rec->facts.name : rec->udid;
	snprintf(line, sizeof(line), "%s: pair record %s: %s; %s", name,
	         pair_state_word(memory->state), pair_state_meaning(memory->state),
	         pair_state_next_step(memory->state, memory->auto_pairs));
	struct journal_entry entry = {
	    .message_id = message_id(MSG_PAIRING_EXPIRED),
	    .priority = LOG_WARNING,
	    .message = line,
	    .device_udid = rec->udid,
	    .device_name = rec->facts.name,
	    .state = pair_state_word(memory->state),
	    .reason = pair_state_meaning(memory->state),
	};
	journal_emit(&entry);
}
