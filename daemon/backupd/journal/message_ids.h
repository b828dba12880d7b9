/* SPDX-License-Identifier: ISC */
/* The journal MESSAGE_IDs backupd writes: one fixed 128-bit ID per precondition and per
 * event. They are part of the interface (admins filter on them, backupd.catalog documents
 * them): once released an ID never changes. */
#ifndef BACKUPD_MESSAGE_IDS_H
#define BACKUPD_MESSAGE_IDS_H

#include <stddef.h>

#include "action_names.h"
#include "facts.h"

/* Every message backupd can write with a MESSAGE_ID besides the preconditions' own (each
 * precondition's entry holds its ID: precond/precondition.h). A failing reachable has one ID
 * per probe status, below; its recovery uses the precondition's ID. */
enum message_key {
	MSG_UNREACHABLE_NOT_PAIRED = 0,
	MSG_UNREACHABLE_TRUST_PENDING,
	MSG_UNREACHABLE_PAIRING_DENIED,
	MSG_UNREACHABLE_LOCKED_SINCE_BOOT,
	MSG_UNREACHABLE_UNRESPONSIVE,
	MSG_UNREACHABLE_VANISHED,
	MSG_UNREACHABLE_PROTOCOL_ERROR,
	MSG_DEVICE_ATTACHED,
	MSG_DEVICE_DETACHED,
	MSG_FEED_UNREACHABLE,    /* Apple's status feed could not be read for too long / is back */
	MSG_USBMUXD_UNAVAILABLE, /* usbmuxd is gone / is back */
	MSG_PROBE_HELPERS_FAILING,  /* probe helpers cannot start or die at once / run again */
	MSG_DEVICE_FORGOTTEN,       /* ForgetAfter or MaxRemembered let go of a detached phone */
	MSG_ACTION_REFUSED,         /* an action request refused (not allowed, not authorised) */
	MSG_ACTION_RESTART_OVERDUE, /* a restarted phone did not come back within RestartTimeout */
	MSG_SLOT_CANNOT_CHARGE,     /* a USB port charges no phone that is put in it */
	MSG_DEVICE_OFF_CART,        /* OnCartHours: a known phone is not attached / is back */
	MSG_PAIRING_EXPIRED,        /* a phone no longer accepts this host's pair record */
	MSG_IOS_CATALOG_UNUSABLE,   /* the iOS catalog cannot be read or used / is good again */
                                    /* clang-format off */
	/* MSG_ACTION_<KIND>, one per action (base/action_names.h): who, which phone, outcome. */
#define MSG_ACTION_KEY(kind, name, op, done, message, id) MSG_ACTION_##kind,
	ACTION_TABLE(MSG_ACTION_KEY)
#undef MSG_ACTION_KEY
	/* clang-format on */
	MSG_COUNT
};

struct message_id_info {
	enum message_key key;
	const char *name; /* stable short name, e.g. "precondition.backup_enabled" */
	const char *id;   /* 32 lowercase hex digits */
};

/* NULL when key is out of range. */
const struct message_id_info *message_id_info(enum message_key key);
/* The ID of a failing "reachable" with this probe status; NULL for statuses that have none
 * (not_yet, ok, out of range): then the precondition's own ID applies. */
const char *message_id_for_probe_status(enum probe_status status);
const char *message_id(enum message_key key);

#endif
