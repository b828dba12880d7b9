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
	PROBE_OP_PROBE = 1, /* open or reuse a session, read every fact, reply probe_reply */
	PROBE_OP_FORGET,    /* close any cached session of udid; no reply */
};

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

/* Runs a helper: serves requests on fd until it closes. Returns the process exit code. */
int probe_helper_main(int fd);

#endif
