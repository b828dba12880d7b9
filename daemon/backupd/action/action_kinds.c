/* SPDX-License-Identifier: ISC */
/* See action_kinds.h. */
#include <stdio.h>
#include <string.h>

#include "action_kinds.h"

/* with_detail: the phone's or helper's text follows the sentence. */
static const struct {
	const char *word;
	const char *text;
	int with_detail;
} outcomes[ACTION_OUTCOME_COUNT] = {
    [ACTION_DONE] = {"done", NULL, 0},
    [ACTION_NO_ACCOUNT] = {"no-icloud-account",
                           "no iCloud account on the phone: sign in to an Apple ID in Settings, "
                           "then try again",
                           0},
    [ACTION_RESTRICTED] = {"restricted",
                           "the phone's management locks iCloud Backup (an MDM or Screen Time "
                           "restriction, Shared iPad or Return to Service): change it there",
                           0},
    [ACTION_LOCKED] = {"locked",
                       "locked since restart: enter the passcode on the phone once, then try "
                       "again",
                       0},
    [ACTION_NOT_PAIRED] = {"not-paired",
                           "not paired with this computer: unlock the phone and tap Trust", 0},
    [ACTION_DEVICE_ERROR] = {"phone-error", "the phone refused", 1},
    [ACTION_FAILED] = {"failed", "failed", 1},
    [ACTION_TRUST_PENDING] = {"waiting-for-trust",
                              "\"Trust this computer?\" is on the phone's screen: unlock it and "
                              "tap Trust",
                              1},
    [ACTION_DENIED] = {"denied",
                       "\"Don't Trust\" was tapped: unplug the phone, plug it in again and tap "
                       "Trust",
                       0},
    [ACTION_PROHIBITED] = {"prohibited",
                           "the phone allows pairing only with its organisation's supervision "
                           "identity (MCProtected): set [Pairing] SupervisionIdentity=",
                           0},
    [ACTION_NOT_SUPERVISOR] = {"not-supervisor",
                               "the supervision identity does not supervise this phone", 1},
    [ACTION_TIMED_OUT] = {"timed-out", "no answer in time", 1},
    [ACTION_HELPER_LOST] = {"helper-lost", "the helper running it was lost", 1},
    [ACTION_NOT_ATTACHED] = {"not-attached", "the phone is not attached", 0},
    [ACTION_NOT_BACK] = {"not-back", "did not come back within RestartTimeout", 1},
    [ACTION_BUSY] = {"busy",
                     "already has an action in flight: wait for its outcome, then try again", 0},
};

/* Both from the action's line in ACTION_TABLE (action_names.h). */
#define DONE_TEXT(kind, name, op, done, message, id) [ACTION_KIND_##kind] = done,
static const char *const done_text[ACTION_KIND_COUNT] = {ACTION_TABLE(DONE_TEXT)};
#define OP(kind, name, op, done, message, id) [ACTION_KIND_##kind] = op,
static const uint32_t ops[ACTION_KIND_COUNT] = {ACTION_TABLE(OP)};

uint32_t action_kind_op(enum action_kind kind)
{
	return ops[kind];
}

const char *action_outcome_word(enum action_outcome outcome)
{
	return (unsigned)outcome < ACTION_OUTCOME_COUNT ? outcomes[outcome].word : "unknown";
}

void action_outcome_message(enum action_kind kind, enum action_outcome outcome, int code,
                            const char *description, char *buf, size_t size)
{
	if ((unsigned)outcome >= ACTION_OUTCOME_COUNT) {
		snprintf(buf, size, "unknown outcome %u", (unsigned)outcome);
	} else if (outcome == ACTION_DONE && kind == ACTION_KIND_PAIR) {
		snprintf(buf, size, "%s (%s)", done_text[kind], description);
	} else if (outcome == ACTION_DONE) {
		snprintf(buf, size, "%s", done_text[kind]);
	} else if (outcome == ACTION_DEVICE_ERROR) {
		snprintf(buf, size, "%s: ErrorCode %d: %s", outcomes[outcome].text, code,
		         description[0] ? description : "(no description)");
	} else if (outcomes[outcome].with_detail && description[0]) {
		snprintf(buf, size, "%s: %s", outcomes[outcome].text, description);
	} else {
		snprintf(buf, size, "%s", outcomes[outcome].text);
	}
}

enum pair_state action_pair_state(enum action_outcome outcome, bool supervised)
{
	switch (outcome) {
	case ACTION_DONE:
		return supervised ? PAIR_SUPERVISED : PAIR_TRUSTED;
	case ACTION_TRUST_PENDING:
		return PAIR_WAITING_TRUST;
	case ACTION_DENIED:
		return PAIR_DENIED;
	case ACTION_LOCKED:
		return PAIR_LOCKED;
	case ACTION_PROHIBITED:
		return PAIR_PROHIBITED;
	case ACTION_NOT_SUPERVISOR:
		return PAIR_NOT_SUPERVISOR;
	default:
		return PAIR_FAILED;
	}
}
