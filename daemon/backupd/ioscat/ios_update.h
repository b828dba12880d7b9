/* SPDX-License-Identifier: ISC */
/* What the iOS catalog says of one phone, in the words every reader shows: the update to
 * install, when it came out, since when the phone has lacked an update, and which actively
 * exploited CVEs the missing updates fix. Worked out once per model, version and catalog
 * (ios_judge_cache.h), kept in the device record, and read by the ios_current rule,
 * backupctl (status JSON "ios_update"), /metrics and the phone's page. */
#ifndef BACKUPD_IOS_UPDATE_H
#define BACKUPD_IOS_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ioscat.h"

/* 40 exploited CVE ids ("CVE-2025-43300, " each); a longer list ends in "...". */
#define IOS_EXPLOITED_TEXT 640

enum ios_update_state {
	IOS_UPDATE_NONE,       /* not judged: no catalog, or no readable version */
	IOS_UPDATE_NOT_LISTED, /* not an iPhone the catalog knows (an iPad, a newer model) */
	IOS_UPDATE_CURRENT,    /* nothing newer in its own train */
	IOS_UPDATE_AVAILABLE,  /* a newer release of its own train exists */
	IOS_UPDATE_ENDED,      /* no release supports the model any more */
	IOS_UPDATE_STATE_COUNT
};

struct ios_update {
	enum ios_update_state state;
	char target[IOS_VERSION_TEXT]; /* AVAILABLE: the version to go to */
	int64_t target_released_unix;  /* AVAILABLE: its release date */
	char latest[IOS_VERSION_TEXT]; /* the newest release for the model, any train ("") */
	int64_t behind_since_unix;     /* release date of the first release it lacks; 0 none */
	int64_t exploited_since_unix;  /* same, of the first that fixes exploited CVEs; 0 none */
	int n_exploited;               /* exploited CVEs the releases it lacks fix */
	char exploited[IOS_EXPLOITED_TEXT]; /* their ids, ", "-separated ("" none) */
};

/* Judges installed on product_type against catalog (not NULL). Pure. */
void ios_update_judge(const struct ios_catalog *catalog, const char *product_type,
                      const struct ios_version *installed, struct ios_update *out);

/* Whether a and b say the same, field by field (padding aside). */
bool ios_update_same(const struct ios_update *a, const struct ios_update *b);

/* "none", "not-listed", "current", "available", "ended" (JSON, metrics). */
const char *ios_update_state_word(enum ios_update_state state);

/* Calls each(id, arg) for every CVE id of update->exploited, in order. */
void ios_update_each_cve(const struct ios_update *update,
                         void (*each)(const char *id, size_t length, void *arg), void *arg);

#endif
