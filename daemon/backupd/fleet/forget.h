/* SPDX-License-Identifier: ISC */
/* forget: which remembered phones backupd lets go of, and why in words.
 * A detached phone is forgotten once it has been detached for ForgetAfter; and while more
 * than MaxRemembered phones are remembered, the longest detached go first. An attached
 * phone is never forgotten. Pure decisions (the clock is a parameter), so tests fix it. */
#ifndef BACKUPD_FORGET_H
#define BACKUPD_FORGET_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"

struct forget_policy {
	int64_t after_s;       /* ForgetAfter */
	size_t max_remembered; /* MaxRemembered */
};

enum forget_reason {
	FORGET_KEEP = 0,
	FORGET_EXPIRED,  /* detached for ForgetAfter or longer */
	FORGET_TOO_MANY, /* beyond MaxRemembered, among the longest detached */
};

/* Sets why[i] for each of the n records; returns how many are to be forgotten. */
size_t forget_select(const struct device_record *const *recs, size_t n, int64_t now_unix,
                     const struct forget_policy *policy, enum forget_reason *why);

/* Why one record is forgotten, in words, for its entry (alert_device_forgotten());
 * n_remembered is how many were remembered before this sweep. Returns buf. */
const char *forget_reason_text(const struct device_record *rec, enum forget_reason why,
                               int64_t now_unix, const struct forget_policy *policy,
                               size_t n_remembered, char *buf, size_t size);

#endif
