/* SPDX-License-Identifier: ISC */
/* probe_reply_check: the trust boundary between a probe helper and the event loop.
 *
 * A helper runs libimobiledevice against a phone that may crash or subvert it, so nothing it
 * sends is believed until every field has been checked, in the spirit of OpenBSD's imsg
 * handling: the size, magic and seq of the datagram, every enum in range, every bool 0 or 1,
 * every string terminated, every number plausible (facts.h). The udid is the job's, never the
 * reply's; the probe's time and duration are the daemon's own. Strings are cleaned here
 * (text_clean.h), once, so no later layer has to care. */
#ifndef BACKUPD_PROBE_REPLY_CHECK_H
#define BACKUPD_PROBE_REPLY_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts.h"

/* What the daemon itself knows about the job a reply answers. */
struct probe_reply_job {
	const char *udid;
	uint32_t seq;
	int64_t now_unix;
	uint32_t elapsed_ms;
};

/* Turns the n bytes a helper sent into trusted facts in out. Returns false, with why saying
 * what was wrong ("battery 250"), when anything in them is not what a helper may send. */
bool probe_reply_check(const void *bytes, size_t n, const struct probe_reply_job *job,
                       struct device_facts *out, char *why, size_t why_size);

/* What the daemon keeps of an action's answer (include/probe_wire.h's action_reply). */
struct action_result {
	unsigned outcome; /* enum action_outcome */
	int code;
	char description[256]; /* cleaned (text_clean.h) */
	bool supervised;       /* pairing: the daemon signed the phone's challenge (probe_sign.h) */
};

/* The same for an action reply: exact size, magic, seq, an outcome below ACTION_WIRE_COUNT,
 * a zero code when the outcome is done, the description terminated; then cleaned. */
bool action_reply_check(const void *bytes, size_t n, uint32_t seq, struct action_result *out,
                        char *why, size_t why_size);

#endif
