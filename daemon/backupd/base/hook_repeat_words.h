/* SPDX-License-Identifier: ISC */
/* hook_repeat_words: AlertRepeat='s policies and their config words. Only the words: when a
 * policy repeats is alert/hook_repeat.h's; the config reads these without it. */
#ifndef BACKUPD_HOOK_REPEAT_WORDS_H
#define BACKUPD_HOOK_REPEAT_WORDS_H

enum hook_repeat_policy {
	HOOK_REPEAT_ONCE = 0,    /* told once per failure */
	HOOK_REPEAT_DAILY,       /* again every 24 h while it fails */
	HOOK_REPEAT_DIMINISHING, /* again after 1, 2, 4, 8, ... days */
	HOOK_REPEAT_COUNT
};

/* The policies' config words, in enum order, NULL-terminated (AlertRepeat=). */
extern const char *const hook_repeat_names[];

#endif
