/* SPDX-License-Identifier: ISC */
/* Messages between backupd's event loop and its probe helper processes.
 *
 * Each helper is a child process ("backupd --probe-helper FD") talking over one
 * SOCK_SEQPACKET socketpair: one datagram per message, so a message is never split. Helper and
 * daemon are the same executable, so structs travel as raw bytes; the receiver still checks
 * the size and magic of every datagram. A helper serves one request at a time. */
#ifndef BACKUPD_PROBE_WIRE_H
#define BACKUPD_PROBE_WIRE_H

#include <stdint.h>

#include "facts.h"

#define PROBE_WIRE_MAGIC 0x42505731u /* "BPW1" */

enum probe_op {
	PROBE_OP_PROBE = 1,     /* open or reuse a session, read every fact, reply probe_reply */
	PROBE_OP_FORGET,        /* close any cached session of udid; no reply */
	PROBE_OP_ENABLE_BACKUP, /* mobilebackup2 EnableCloudBackup true; reply action_reply */
	PROBE_OP_RESTART,       /* diagnostics_relay Restart (wait for disconnect); action_reply */
};

/* How an action ended, as the helper saw it. */
enum action_outcome {
	ACTION_DONE = 0,     /* the phone said yes */
	ACTION_NO_ACCOUNT,   /* EnableCloudBackup refused: no iCloud account on the phone */
	ACTION_RESTRICTED,   /* EnableCloudBackup refused: a restriction (MDM) forbids it */
	ACTION_LOCKED,       /* locked since restart: no lockdownd session until unlocked once */
	ACTION_NOT_PAIRED,   /* no trusted pairing with this host */
	ACTION_DEVICE_ERROR, /* the phone answered an error: code and description are its own */
	ACTION_FAILED,       /* a library call failed: description names the step */
	ACTION_WIRE_COUNT,   /* the helper sends only outcomes below this */
	ACTION_TIMED_OUT = ACTION_WIRE_COUNT, /* daemon side: no answer within ProbeTimeout */
	ACTION_HELPER_LOST,                   /* daemon side: the helper died or lied */
	ACTION_NOT_ATTACHED,                  /* daemon side: the phone is known but not attached */
	ACTION_NOT_BACK, /* daemon side: restarted, not back within RestartTimeout */
	ACTION_BUSY,     /* daemon side: the phone has an action in flight already */
	ACTION_OUTCOME_COUNT
};

#define ACTION_DESCRIPTION_MAX 256

struct probe_request {
	uint32_t magic;
	uint32_t op;         /* enum probe_op */
	uint32_t seq;        /* echoed in the reply */
	uint32_t timeout_ms; /* per library call time limit the helper applies */
	char udid[UDID_MAX];
};

struct probe_reply {
	uint32_t magic;
	uint32_t seq;
	struct device_facts facts;
};

/* The helper's first datagram, sent before it reads any request. A helper that dies before its
 * hello could not start (back-off, "probe helpers cannot start"); one that dies after it
 * crashed on a device. The daemon ignores a repeated hello (a stand-in helper may exec the
 * real one). Its size differs from probe_reply's, so the two cannot be confused. */
#define PROBE_HELLO_MAGIC 0x42504831u /* "BPH1" */
struct probe_hello {
	uint32_t magic;
};

/* The answer to PROBE_OP_ENABLE_BACKUP and PROBE_OP_RESTART (a different size from
 * probe_reply: the daemon knows which it asked for and checks the size). */
struct action_reply {
	uint32_t magic;
	uint32_t seq;
	uint32_t outcome; /* enum action_outcome, < ACTION_WIRE_COUNT */
	int32_t code;     /* the phone's ErrorCode, or the lockdownd/library error code; 0 */
	char description[ACTION_DESCRIPTION_MAX]; /* the phone's ErrorDescription or the step */
};

/* Runs a helper: serves requests on fd until it closes. Returns the process exit code. */
int probe_helper_main(int fd);

#endif
