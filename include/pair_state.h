/* SPDX-License-Identifier: ISC */
/* How far this host is paired with a phone: the outcome of the last pairing backupd tried
 * (backupctl pair, AutoPair=) or what the last probe showed of its pair record. One table holds
 * each state's word (JSON, metrics, journal STATE), what it means and the next step. */
#ifndef BACKUPD_PAIR_STATE_H
#define BACKUPD_PAIR_STATE_H

#include <stdbool.h>

enum pair_state {
	PAIR_UNKNOWN = 0,    /* not probed or paired yet */
	PAIR_PAIRED,         /* the record works (however it was made) */
	PAIR_SUPERVISED,     /* paired now with the supervision identity, no dialog */
	PAIR_TRUSTED,        /* paired now after Trust was tapped */
	PAIR_NO_RECORD,      /* no record on this host, and AutoPair= does not pair */
	PAIR_WAITING_TRUST,  /* "Trust this computer?" is on screen */
	PAIR_DENIED,         /* "Don't Trust" tapped: holds until replugged */
	PAIR_LOCKED,         /* passcode-locked: no EscrowBag, nothing saved; retried */
	PAIR_PROHIBITED,     /* MCProtected: pairing needs the organisation's identity */
	PAIR_NOT_SUPERVISOR, /* the identity configured does not supervise this phone */
	PAIR_EXPIRED,        /* the phone answered InvalidHostID to this host's record */
	PAIR_FAILED,         /* anything else: the reason says */
	PAIR_STATE_COUNT
};

const char *pair_state_word(enum pair_state state);
const char *pair_state_meaning(enum pair_state state);
/* auto_pairs: AutoPair= would pair this phone by itself (the advice differs). */
const char *pair_state_next_step(enum pair_state state, bool auto_pairs);
/* Whether the phone cannot be read until someone (or backupd) pairs it. */
bool pair_state_unpaired(enum pair_state state);

#endif
