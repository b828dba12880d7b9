/* SPDX-License-Identifier: ISC */
/* action_names: the actions backupctl can ask for, one line each in ACTION_TABLE. The config
 * ([Actions] Allow=, AutoEnableBackup=), the control protocol and the journal spell them as
 * the table does; what an action does is in action/ (action_kinds.h), which reads the rest of
 * its line. */
#ifndef BACKUPD_ACTION_NAMES_H
#define BACKUPD_ACTION_NAMES_H

/* X(KIND, name, op, done, message, id): KIND makes enum action_kind's ACTION_KIND_<KIND> and
 * the journal's MSG_ACTION_<KIND>; name is the word backupctl, Allow= and the journal use; op
 * the probe helper operation that carries it (probe_wire.h); done the sentence a person reads
 * when it worked; message and id its journal entries' MESSAGE_ID, by name and value
 * (message_ids.h: generated once, fixed forever). The enum, the names, the control verbs
 * (each takes phones or --all; [Actions] Allow= says who may ask), the helper ops, the
 * outcome texts and the actions' MESSAGE_IDs are all made from these lines. */
#define ACTION_TABLE(X)                                                                            \
	X(ENABLE_BACKUP, "enable-backup", PROBE_OP_ENABLE_BACKUP, "iCloud Backup switched on",     \
	  "action.enable_backup", "30942ecec2044de5956a5af31ec99e90")                              \
	X(RESTART, "restart", PROBE_OP_RESTART, "restarted and back", "action.restart",            \
	  "87e8a7d7b19046feb5af492f48aa8f56")                                                      \
	X(PAIR, "pair", PROBE_OP_PAIR, "paired", "action.pair",                                    \
	  "c873a6c6d50e410cacb72bba586a9eed")                                                      \
	X(UNPAIR, "unpair", PROBE_OP_UNPAIR, "unpaired: the pair record is removed",               \
	  "action.unpair", "e9ebc902aea847b9a5f3b95cb54e8a56")

#define ACTION_KIND_ENUM(kind, name, op, done, message, id) ACTION_KIND_##kind,
enum action_kind { ACTION_TABLE(ACTION_KIND_ENUM) ACTION_KIND_COUNT };
#undef ACTION_KIND_ENUM

/* "enable-backup", "restart", "pair", "unpair", NULL: indexed by enum action_kind. */
extern const char *const action_kind_names[ACTION_KIND_COUNT + 1];

/* AutoEnableBackup's words: "no", "yes", NULL. */
extern const char *const action_auto_words[3];

#endif
