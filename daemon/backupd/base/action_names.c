/* SPDX-License-Identifier: ISC */
/* See action_names.h. */
#include <stddef.h>

#include "action_names.h"

const char *const action_kind_names[ACTION_KIND_COUNT + 1] = {
    [ACTION_KIND_ENABLE_BACKUP] = ACTION_NAME_ENABLE_BACKUP,
    [ACTION_KIND_RESTART] = ACTION_NAME_RESTART,
    [ACTION_KIND_PAIR] = ACTION_NAME_PAIR,
    [ACTION_KIND_UNPAIR] = ACTION_NAME_UNPAIR,
    [ACTION_KIND_COUNT] = NULL,
};

const char *const action_auto_words[3] = {"no", "yes", NULL};
