/* SPDX-License-Identifier: ISC */
/* alert: compares new verdicts with what the journal was last told and writes transitions
 * only. Device entries are per precondition; Apple's service, the status feed and usbmuxd are
 * fleet-wide and written once for the whole fleet.
 *
 * Transition rules for one precondition of one device (struct alert_memory "announced"):
 *   - failing, when nothing or ok was announced: one entry, PRIORITY warning (error for
 *     backup_recent);
 *   - ok, when failing was announced: one recovery entry, PRIORITY notice;
 *   - ok, when nothing was announced: remembered silently (attaching a healthy phone is not a
 *     recovery);
 *   - unknown: never announces and never clears; failing -> unknown -> failing is one failure;
 *   - reachable: each failing probe status is its own failure with its own MESSAGE_ID, so
 *     not_paired -> trust_pending writes a new entry.
 * Hold-off (AlertHoldoff, holdoff_s): after an announcement at time T, a different outcome
 * seen before T + holdoff_s is held back (nothing written, memory unchanged). The first
 * evaluation at or after T + holdoff_s that still differs from what was announced writes it,
 * with the verdict of that moment. So a precondition writes at most one entry per hold-off,
 * a flap that returns to the announced state within the hold-off writes nothing, and a held
 * change is late by at most the time to the next evaluation (PollInterval). holdoff_s <= 0
 * disables the hold-off. The first announcement (nothing announced yet) is never held. */
#ifndef BACKUPD_ALERT_H
#define BACKUPD_ALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "feed.h"
#include "fleet_alerts.h"
#include "journal.h"

/* A second consumer of exactly the transitions the journal gets (the alert command): the
 * same decision, the same entry. Repeats of a still-failing precondition (AlertRepeat) go to
 * the consumer only; the journal keeps to transitions. A forgotten phone (ForgetAfter,
 * MaxRemembered) goes to both: it is the last the admin hears of it. */
enum alert_event_kind {
	ALERT_EVENT_FAILING,
	ALERT_EVENT_RECOVERED,
	ALERT_EVENT_REPEAT,
	ALERT_EVENT_FORGOTTEN,
};

struct alert_event {
	enum alert_event_kind kind;
	const struct journal_entry *entry; /* valid during the call only */
	int64_t since_unix; /* when the failure was first told (failing, repeat, recovered); 0 = not
	                       known (fleet-wide on/off conditions) */
	int repeats;        /* repeats of this failure so far, this one included */
};

struct alert_consumer {
	void (*event)(void *ctx, const struct alert_event *event);
	/* Whether a failure told at memory->announced_at_unix and repeated memory->repeats
	 * times is to be told again at now_unix. NULL = never. */
	bool (*repeat_due)(void *ctx, const struct alert_memory *memory, int64_t now_unix);
	void *ctx;
};

/* Where entries go. NULL sink everywhere below = journal_emit and no consumer. emit NULL =
 * journal_emit, then consumer (NULL = none) is told of the transitions: the daemon's fleet
 * holds one such sink, wired to the alert command by backupd. Tests set emit to capture
 * entries instead (the consumer is then not told); the entry's strings live only during the
 * call. */
struct alert_sink {
	void (*emit)(void *ctx, const struct journal_entry *entry);
	void *ctx;
	const struct alert_consumer *consumer;
};

/* Writes the transitions from rec->alerts to verdicts (every precondition except
 * icloud_service) and updates rec->alerts. rec->facts gives the identity fields and, for
 * reachable, the probe status: it must be the facts these verdicts came from. Does not
 * touch rec->verdicts. Returns the number of entries written. */
int alert_device_verdicts(struct device_record *rec, const struct verdict verdicts[PRECOND_COUNT],
                          int64_t now_unix, int64_t holdoff_s, const struct alert_sink *sink);

/* Tells sink's consumer again about each precondition of rec that is still failing, as it was
 * announced, when the consumer's repeat_due says so, and counts that in rec->alerts. Reads
 * rec->verdicts (call it after they are stored). Returns the number of repeats (0 without a
 * consumer). */
int alert_device_repeats(struct device_record *rec, int64_t now_unix,
                         const struct alert_sink *sink);

/* Attach (PRIORITY info) and detach (PRIORITY notice) entries for rec. */
void alert_device_attached(const struct device_record *rec, const struct alert_sink *sink);
void alert_device_detached(const struct device_record *rec, const struct alert_sink *sink);

/* The device.forgotten entry (PRIORITY notice) for rec, let go of because of reason
 * (forget_reason_text()); the consumer is told too. */
void alert_device_forgotten(const struct device_record *rec, const char *reason,
                            const struct alert_sink *sink);

/* Apple's iCloud Backup service: verdict is rules_icloud_service()'s; feed (may be NULL)
 * gives the first active event's status type, message and start for the entry. Same
 * transition and hold-off rules as a device precondition. Returns entries written (0/1). */
int alert_icloud_service(struct fleet_alerts *fleet, const struct verdict *verdict,
                         const struct feed_state *feed, int64_t now_unix, int64_t holdoff_s,
                         const struct alert_sink *sink);

/* The status feed: one warning once it has been unreachable for unreachable_after_s
 * (UnreachableAlertAfter), one notice when it is read again after that warning. */
int alert_feed_reachability(struct fleet_alerts *fleet, const struct feed_state *feed,
                            int64_t now_unix, int64_t unreachable_after_s,
                            const struct alert_sink *sink);

/* usbmuxd: one warning when it becomes unavailable (detail: why, may be NULL), one notice
 * when it is back. */
int alert_usbmuxd(struct fleet_alerts *fleet, bool available, const char *detail,
                  const struct alert_sink *sink);

#endif
