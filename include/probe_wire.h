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
	PROBE_OP_PAIR,          /* lockdownd Pair, supervised when a certificate comes with it; the
	                         * request is a pair_request; may send one pair_challenge; action_reply */
	PROBE_OP_UNPAIR, /* lockdownd Unpair, then the record deleted from usbmuxd; action_reply */
};

/* probe_request.flags */
enum probe_flag {
	/* Probes: a phone without a working record is reported, never asked to Pair (backupd
	 * pairs it itself with AutoPair=supervised, or not at all with AutoPair=no). */
	PROBE_FLAG_NO_PAIR = 1u << 0,
};

/* How an action ended, as the helper saw it. */
enum action_outcome {
	ACTION_DONE = 0,       /* the phone said yes */
	ACTION_NO_ACCOUNT,     /* EnableCloudBackup refused: no iCloud account on the phone */
	ACTION_RESTRICTED,     /* EnableCloudBackup refused: a restriction (MDM) forbids it */
	ACTION_LOCKED,         /* locked since restart: no lockdownd session until unlocked once */
	ACTION_NOT_PAIRED,     /* no trusted pairing with this host */
	ACTION_DEVICE_ERROR,   /* the phone answered an error: code and description are its own */
	ACTION_FAILED,         /* a library call failed: description names the step */
	ACTION_TRUST_PENDING,  /* pair: "Trust this computer?" is on the phone's screen */
	ACTION_DENIED,         /* pair: "Don't Trust" was tapped (holds until replugged) */
	ACTION_PROHIBITED,     /* pair: MCProtected with no supervision identity offered */
	ACTION_NOT_SUPERVISOR, /* pair: the identity offered does not supervise this phone */
	ACTION_WIRE_COUNT,     /* the helper sends only outcomes below this */
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
	uint32_t flags;      /* enum probe_flag */
	char udid[UDID_MAX];
};

/* PROBE_OP_PAIR's request: the supervision certificate (DER, public) travels with it; cert_len
 * 0 asks for a plain Pair (the Trust dialog). The private key never leaves the daemon. */
#define PAIR_CERT_MAX 8192
struct pair_request {
	struct probe_request req;
	uint32_t cert_len;
	uint8_t cert[PAIR_CERT_MAX];
};

/* Sent by a helper in the middle of a supervised PROBE_OP_PAIR: the phone's PairingChallenge,
 * for the daemon to sign (at most once per pairing job). The daemon answers pair_signature:
 * the PKCS#7 SignedData in DER, or len 0 when it refuses. */
#define PAIR_CHALLENGE_MAGIC 0x42504331u /* "BPC1" */
#define PAIR_CHALLENGE_MAX   512
struct pair_challenge {
	uint32_t magic;
	uint32_t seq; /* the request's */
	uint32_t len;
	uint8_t bytes[PAIR_CHALLENGE_MAX];
};

#define PAIR_SIGNATURE_MAGIC 0x42505331u /* "BPS1" */
#define PAIR_SIGNATURE_MAX   16384
struct pair_signature {
	uint32_t magic;
	uint32_t seq;
	uint32_t len; /* 0: refused */
	uint8_t der[PAIR_SIGNATURE_MAX];
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
