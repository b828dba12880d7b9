/* SPDX-License-Identifier: ISC */
/* The precondition table: one entry per precondition (precond/<name>.c), listed once in
 * include/precondition_list.h. Every reader iterates it: the rules (fleet/rules.c), the
 * journal's MESSAGE_IDs and catalog, the config keys ([Rules], [Device]), /metrics, the alert
 * rules' fix annotations (through /metrics) and the man pages. */
#ifndef BACKUPD_PRECONDITION_H
#define BACKUPD_PRECONDITION_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "preconditions.h"
#include "rule_limits.h"

struct feed_state;
struct ios_catalog;
struct ios_update;

/* What ios_current judges against besides MinimumIOS: the iOS catalog (NULL: none yet, or
 * switched off) and how long an update may wait ([IOS] UpdateGrace, ExploitedGrace).
 * update, when not NULL, is the catalog's judgement of this phone already worked out
 * (ios_judge_cache.h); NULL: the rule works it out itself, against the newest major when
 * newest_major ([IOS] Target=latest), else against the phone's own train. */
struct ios_rule_input {
	const struct ios_catalog *catalog;
	int64_t update_grace_s;
	int64_t exploited_grace_s;
	const struct ios_update *update;
	bool newest_major;
};

/* Everything a judge may read. No I/O, no clock: now is given. */
struct judge_input {
	const struct device_facts *facts;
	const struct feed_state *feed;    /* NULL: no feed state yet */
	const struct ios_rule_input *ios; /* NULL: no catalog */
	const struct rule_limits *limits;
	int64_t now;
};

/* When a judge may run although the probe failed. */
enum judge_scope {
	JUDGE_PROBE,      /* judges the probe itself */
	JUDGE_DEVICE,     /* needs a readable device */
	JUDGE_REMEMBERED, /* may use the remembered last backup date when the device is unreadable
	                   */
	JUDGE_FLEET,      /* does not depend on the device */
};

/* The journal catalog's text of the entry (journalctl -x): Subject, what it means, and what
 * follows "To fix it: FIX." (@FIELD@ are the entry's journal fields). */
struct precondition_catalog {
	const char *subject;
	const char *explain;
	const char *fix_more; /* what follows the fix, its own punctuation first */
	const char *support;  /* NULL: https://support.apple.com/ */
};

struct precondition_info {
	enum precondition_id id;
	const char *name;          /* stable identifier: "backup_enabled" (journal, JSON, state) */
	const char *message_id;    /* its journal MESSAGE_ID: 32 lowercase hex digits, forever */
	const char *blocker;       /* short word for the BLOCKERS column: "backup-off" */
	const char *fix;           /* the first thing an admin should try */
	const char *title;         /* what a person calls it: "iCloud Backup on" (the pages) */
	const char *reads;         /* where its facts come from (backupd(8)) */
	bool unknown_allows_ready; /* see verdicts_readiness() */
	enum judge_scope scope;
	void (*judge)(const struct judge_input *in, struct verdict *out);
	struct precondition_key keys[PRECOND_KEYS_MAX]; /* the config keys it reads */
	struct precondition_catalog catalog;
};

/* The entries, one per line of include/precondition_list.h. */
#define PRECONDITION(ID, name) extern const struct precondition_info precondition_##name;
#include "precondition_list.h"
#undef PRECONDITION

const struct precondition_info *precondition_info(enum precondition_id id);
/* Returns -1 when name is not a precondition's name. */
int precondition_by_name(const char *name);
/* The 32-hex ID of a precondition's entries (failure and recovery); NULL if out of range. */
const char *message_id_for_precondition(enum precondition_id id);
/* The ID of a failing "reachable" with this probe status (journal/message_ids.c); reachable's
 * own ID for statuses that have none (not_yet, ok), so a caller always gets an ID. */
const char *message_id_for_unreachable(enum probe_status status);

/* What backupd may say of a phone as a whole. It never claims more than it observed:
 *
 *   unknown    the phone is detached (nothing is observed now), or reachable is not ok in
 *              this attachment (not probed yet, or the probe failed: not paired, locked since
 *              restart, unresponsive, ...), or a precondition whose unknown_allows_ready is
 *              false is unknown (e.g. iCloud Backup setting not readable);
 *   not_ready  attached, and some precondition is failing (observed in this attachment, or
 *              fleet-wide: Apple reports an event). A failing precondition wins over
 *              unknown: a phone unreachable now whose backup is known to be stale is not
 *              ready;
 *   ready      attached, reachable ok, nothing failing, and every unknown is in an entry whose
 *              unknown_allows_ready is true.
 *
 * Each entry says why its unknown may or may not be ready. backupctl counts unknown as not
 * ready for its exit status. */
enum readiness verdicts_readiness(const struct verdict verdicts[PRECOND_COUNT], bool attached);

#endif
