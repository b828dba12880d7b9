/* SPDX-License-Identifier: ISC */
/* See pair_state.h. */
#include <stddef.h>

#include "pair_state.h"

static const struct {
	const char *word, *meaning, *next, *next_auto;
} rows[PAIR_STATE_COUNT] = {
    [PAIR_UNKNOWN] = {"unknown", "not known yet", "", ""},
    [PAIR_PAIRED] = {"paired", "paired: this host's record works", "", ""},
    [PAIR_SUPERVISED] = {"paired-supervised",
                         "paired with the organisation's supervision identity, without a dialog",
                         "", ""},
    [PAIR_TRUSTED] = {"paired-trusted", "paired after Trust was tapped on the phone", "", ""},
    [PAIR_NO_RECORD] = {"not-paired", "this host has no pair record for the phone",
                        "run backupctl pair PHONE (AutoPair=no pairs nothing by itself)",
                        "backupd pairs it"},
    [PAIR_WAITING_TRUST] = {"waiting-for-trust",
                            "\"Trust this computer?\" is waiting on the phone's screen",
                            "unlock the phone, tap Trust and enter the passcode",
                            "unlock the phone, tap Trust and enter the passcode"},
    [PAIR_DENIED] = {"denied", "\"Don't Trust\" was tapped on the phone",
                     "unplug the phone, plug it in again, then tap Trust",
                     "unplug the phone, plug it in again, then tap Trust"},
    [PAIR_LOCKED] = {"locked",
                     "the phone is passcode-locked: it accepted but sent no escrow bag, so no "
                     "record was saved",
                     "enter the passcode on the phone once, then run backupctl pair PHONE",
                     "enter the passcode on the phone once; backupd tries again"},
    [PAIR_PROHIBITED] = {"prohibited",
                         "the phone allows pairing only with its organisation's supervision "
                         "identity (MCProtected)",
                         "set [Pairing] SupervisionIdentity= to the identity exported from "
                         "Apple Configurator or the MDM",
                         "set [Pairing] SupervisionIdentity= to the identity exported from "
                         "Apple Configurator or the MDM"},
    [PAIR_NOT_SUPERVISOR] = {"not-supervisor",
                             "the supervision identity configured does not supervise this phone",
                             "configure the identity of the organisation that supervises it",
                             "configure the identity of the organisation that supervises it"},
    [PAIR_EXPIRED] = {"expired",
                      "the phone no longer accepts this host's pair record (InvalidHostID: 30 "
                      "days unseen, or trust reset)",
                      "run backupctl pair PHONE, or tap Trust when asked",
                      "backupd pairs it again"},
    [PAIR_FAILED] = {"failed", "pairing failed", "see the reason; backupctl pair PHONE retries",
                     "see the reason; backupd tries again"},
};

const char *pair_state_word(enum pair_state state)
{
	return (unsigned)state < PAIR_STATE_COUNT ? rows[state].word : "unknown";
}

const char *pair_state_meaning(enum pair_state state)
{
	return (unsigned)state < PAIR_STATE_COUNT ? rows[state].meaning : "";
}

const char *pair_state_next_step(enum pair_state state, bool auto_pairs)
{
	if ((unsigned)state >= PAIR_STATE_COUNT)
		return "";
	return auto_pairs ? rows[state].next_auto : rows[state].next;
}

bool pair_state_unpaired(enum pair_state state)
{
	return state >= PAIR_NO_RECORD;
}
