/* SPDX-License-Identifier: ISC */
/* action_names: the actions backupctl can ask for, as words the config ([Actions] Allow=,
 * AutoEnableBackup=), the control protocol and the journal spell them. Only the words: what
 * an action does is in action/ (action_kinds.h); the config reads these without it. */
#ifndef BACKUPD_ACTION_NAMES_H
#define BACKUPD_ACTION_NAMES_H

enum action_kind {
	ACTION_KIND_ENABLE_BACKUP,
	ACTION_KIND_RESTART,
	ACTION_KIND_PAIR,
	ACTION_KIND_UNPAIR,
	ACTION_KIND_COUNT
};

/* Each name once, for tables that need constants (the control verbs, action_control.c). */
#define ACTION_NAME_ENABLE_BACKUP "enable-backup"
#define ACTION_NAME_RESTART       "restart"
#define ACTION_NAME_PAIR          "pair"
#define ACTION_NAME_UNPAIR        "unpair"

/* "enable-backup", "restart", "pair", "unpair", NULL: indexed by enum action_kind. */
extern const char *const action_kind_names[ACTION_KIND_COUNT + 1];

/* AutoEnableBackup's words: "no", "yes", NULL. */
extern const char *const action_auto_words[3];

#endif
