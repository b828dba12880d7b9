/* SPDX-License-Identifier: ISC */
/* See hook_repeat_words.h. */
#include <stddef.h>

#include "hook_repeat_words.h"

const char *const hook_repeat_names[] = {"once", "daily", "diminishing", NULL};
