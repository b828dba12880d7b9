/* SPDX-License-Identifier: ISC */
/* reachable: the probe could read the device at all. Each failing probe status has its own
 * reason here and its own MESSAGE_ID (journal/message_ids.c, alert.c). */
#include "judge.h"
#include "precondition.h"

struct probe_status_text {
	const char *short_text; /* after "device not readable: " */
	const char *reason;     /* the reachable verdict's reason */
	bool with_error;        /* append facts->error */
};

static const struct probe_status_text probe_texts[PROBE_STATUS_COUNT] = {
    [PROBE_NOT_YET] = {"not probed yet", "not probed yet", false},
    [PROBE_OK] = {"", "read over USB", false},
    [PROBE_NOT_PAIRED] = {"not paired", "not paired with this computer: unlock it and tap Trust",
                          false},
    [PROBE_TRUST_PENDING] = {"trust pending",
                             "trust pending: \"Trust this computer?\" is waiting on the screen",
                             false},
    [PROBE_PAIRING_DENIED] = {"pairing denied",
                              "pairing denied: \"Don't Trust\" was tapped; reconnect the cable "
                              "and tap Trust",
                              false},
    [PROBE_LOCKED_SINCE_BOOT] = {"locked since restart",
                                 "locked since restart: unlock it once with the passcode", false},
    [PROBE_UNRESPONSIVE] = {"unresponsive", "unresponsive", true},
    [PROBE_VANISHED] = {"disconnected", "disconnected during the probe", false},
    [PROBE_PROTOCOL_ERROR] = {"protocol error", "protocol error", true},
};

const char *judge_probe_status_short(enum probe_status status)
{
	if ((unsigned)status >= PROBE_STATUS_COUNT)
		return "invalid probe status";
	return probe_texts[status].short_text;
}

static void judge(const struct judge_input *in, struct verdict *out)
{
	enum probe_status status = in->facts->status;
	const struct probe_status_text *text;

	if ((unsigned)status >= PROBE_STATUS_COUNT) {
		set_verdict(out, VERDICT_UNKNOWN, "invalid probe status %d", (int)status);
		return;
	}
	text = &probe_texts[status];
	if (status == PROBE_OK)
		set_verdict(out, VERDICT_OK, "%s", text->reason);
	else if (status == PROBE_NOT_YET)
		set_verdict(out, VERDICT_UNKNOWN, "%s", text->reason);
	else if (text->with_error && in->facts->error[0] != '\0')
		set_verdict(out, VERDICT_FAILING, "%s: %s", text->reason, in->facts->error);
	else
		set_verdict(out, VERDICT_FAILING, "%s", text->reason);
}

const struct precondition_info precondition_reachable = {
    .id = PRECOND_REACHABLE,
    .name = "reachable",
    .message_id = "ffee415c84cd4e08b701553f9c947c86",
    .blocker = "unreachable",
    .fix = "Unlock the phone, tap Trust on \"Trust this computer?\", and reseat the cable",
    .title = "Phone reachable",
    .reads = "the probe: a paired lockdownd session over usbmuxd",
    /* Not probed yet is not ready: nothing is observed. */
    .unknown_allows_ready = false,
    .scope = JUDGE_PROBE,
    .judge = judge,
    .catalog =
        {
            .subject = "@DEVICE_NAME@ can be read again by backupd (@STATE@)",
            .explain = "backupd can again open a session with the iPhone @DEVICE_NAME@ "
                       "(@DEVICE_UDID@): @REASON@. "
                       "A device that cannot be read is logged with a more specific message (not "
                       "paired, trust "
                       "pending, pairing denied, locked since boot, unresponsive, vanished, "
                       "protocol error) whose "
                       "own catalog entry says what to do. If STATE is failing here, the cause was "
                       "not one of "
                       "those.",
            .fix_more = ".",
        },
};
