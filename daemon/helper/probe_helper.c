/* SPDX-License-Identifier: ISC */
/* The probe helper process: serves probe_request datagrams one at a time on a SOCK_SEQPACKET
 * socket (include/probe_wire.h). Anything that is not a well-formed request is ignored. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "device_lookup.h"
#include "action_helper.h"
#include "probe.h"
#include "probe_wire.h"

/* Sessions one helper keeps open (LRU). The pool spreads devices evenly over its Workers
 * helpers, so this must exceed devices / Workers or every sweep reopens evicted sessions: at 64,
 * 1000 devices on 16 helpers took 6 s a sweep instead of 0.3 s (tests/bench/run.sh). Each
 * session holds two sockets: 256 of them stay well under the usual soft limit of 1024 fds. */
#define HELPER_MAX_SESSIONS 256

/* A pairing request carries the certificate; every other request is a bare probe_request. */
static bool request_valid(const struct pair_request *pair, ssize_t size)
{
	const struct probe_request *req = &pair->req;
	if (size < (ssize_t)sizeof(*req) || req->magic != PROBE_WIRE_MAGIC)
		return false;
	if (memchr(req->udid, '\0', sizeof(req->udid)) == NULL || req->udid[0] == '\0')
		return false;
	if (req->op == PROBE_OP_PAIR)
		return size == (ssize_t)sizeof(*pair) && pair->cert_len <= sizeof(pair->cert);
	return size == (ssize_t)sizeof(*req) && req->op >= PROBE_OP_PROBE &&
	       req->op <= PROBE_OP_UNPAIR;
}

static int send_reply(int fd, const struct probe_request *req, struct probe_cache *cache)
{
	struct probe_reply reply;
	memset(&reply, 0, sizeof(reply));
	reply.magic = PROBE_WIRE_MAGIC;
	reply.seq = req->seq;
	probe_run(cache, req->udid, req->timeout_ms, req->flags, &reply.facts);
	ssize_t sent;
	do
		sent = send(fd, &reply, sizeof(reply), MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent == (ssize_t)sizeof(reply) ? 0 : -1;
}

static int send_action_reply(int fd, const struct pair_request *pair)
{
	const struct probe_request *req = &pair->req;
	struct action_reply reply;
	memset(&reply, 0, sizeof(reply));
	reply.magic = PROBE_WIRE_MAGIC;
	reply.seq = req->seq;
	reply.outcome = ACTION_FAILED;
	if (req->op == PROBE_OP_ENABLE_BACKUP)
		action_enable_backup(req->udid, req->timeout_ms, &reply);
	else if (req->op == PROBE_OP_PAIR)
		action_pair(fd, pair, &reply);
	else if (req->op == PROBE_OP_UNPAIR)
		action_unpair(req->udid, req->timeout_ms, &reply);
	else
		action_restart(req->udid, req->timeout_ms, &reply);
	ssize_t sent;
	do
		sent = send(fd, &reply, sizeof(reply), MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	return sent == (ssize_t)sizeof(reply) ? 0 : -1;
}

int probe_helper_main(int fd)
{
	signal(SIGPIPE, SIG_IGN);
	struct probe_cache *cache = probe_cache_new(HELPER_MAX_SESSIONS);
	if (!cache)
		return 1;
	const struct probe_hello hello = {.magic = PROBE_HELLO_MAGIC};
	if (send(fd, &hello, sizeof(hello), MSG_NOSIGNAL) != (ssize_t)sizeof(hello)) {
		probe_cache_free(cache);
		return 1;
	}
	int status = 0;
	static struct pair_request in; /* 8 KiB: the largest request */
	const struct probe_request *req = &in.req;
	for (;;) {
		ssize_t got = recv(fd, &in, sizeof(in), MSG_TRUNC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			status = got == 0 ? 0 : 1; /* 0: the daemon closed its end */
			break;
		}
		if (!request_valid(&in, got))
			continue;
		if (req->op == PROBE_OP_FORGET) {
			probe_cache_forget(cache, req->udid);
			device_lookup_invalidate(); /* the phone left: its handle may go */
		} else if ((req->op == PROBE_OP_PROBE ? send_reply(fd, req, cache)
		                                      : send_action_reply(fd, &in)) < 0) {
			status = errno == EPIPE || errno == ECONNRESET ? 0 : 1;
			break;
		}
	}
	probe_cache_free(cache);
	return status;
}
