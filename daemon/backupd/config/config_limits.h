/* SPDX-License-Identifier: ISC */
/* config_limits: the rule limits of the precondition table as rows of the key table. */
#ifndef BACKUPD_CONFIG_LIMITS_H
#define BACKUPD_CONFIG_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "config_key_row.h"

/* The index-th rule limit (0, 1, ...) as a key table row, offset in struct rule_limits;
 * false past the last. */
bool config_limit_row(size_t index, struct config_key *out);

#endif
