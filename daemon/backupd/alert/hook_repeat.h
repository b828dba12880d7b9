/* SPDX-License-Identifier: ISC */
/* AlertRepeat: whether the alert command hears again of a phone that is still failing, in
 * the spirit of smartd's -M once|daily|diminishing. The memory (how often, when last) lives in
 * the alert memory and so in the state file: a restart neither repeats early nor forgets. */
#ifndef BACKUPD_HOOK_REPEAT_H
#define BACKUPD_HOOK_REPEAT_H

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "hook_repeat_words.h"

/* When a failure told at memory->announced_at_unix and repeated memory->repeats times is due
 * to be told again; 0 = never (once, or nothing announced); INT64_MAX when that lies past
 * what int64_t holds. */
int64_t hook_repeat_next(enum hook_repeat_policy policy, const struct alert_memory *memory);

bool hook_repeat_due(enum hook_repeat_policy policy, const struct alert_memory *memory,
                     int64_t now_unix);

#endif
