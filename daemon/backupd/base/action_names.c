/* SPDX-License-Identifier: ISC */
/* See action_names.h. */
#include <stddef.h>

#include "action_names.h"

#define NAME(kind, name, op, done, message, id) [ACTION_KIND_##kind] = name,
const char *const action_kind_names[ACTION_KIND_COUNT + 1] = {ACTION_TABLE(NAME) NULL};

const char *const action_auto_words[3] = {"no", "yes", NULL};
