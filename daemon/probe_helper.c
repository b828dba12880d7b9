/* The probe helper process: serves probe_request datagrams one at a time on a SOCK_SEQPACKET
 * socket (include/probe_wire.h). Anything that is not a well-formed request is ignored. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "probe.h"
#include "probe_wire.h"

#define HELPER_MAX_SESSIONS 64

static bool request_valid(const struct probe_request *req, ssize_t size)
{
	if (size != (ssize_t)sizeof(*req) || req->magic != PROBE_WIRE_MAGIC)
		return false;
	if (memchr(req->udid, '\0', sizeof(req->udid)) == NULL || req->udid[0] == '\0')
		return false;
	return req->op == PROBE_OP_PROBE || req->op == PROBE_OP_FORGET;
}

static int send_reply(int fd, const struct probe_request *req, struct probe_cache *cache)
{
	struct probe_reply reply;
	memset(&reply, 0, sizeof(reply));
	reply.magic = PROBE_WIRE_MAGIC;
	reply.seq = req->seq;
	probe_run(cache, req->udid, req->timeout_ms, &reply.facts);
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
	int status = 0;
	for (;;) {
		struct probe_request req;
		ssize_t got = recv(fd, &req, sizeof(req), MSG_TRUNC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			status = got == 0 ? 0 : 1; /* 0: the daemon closed its end */
			break;
		}
		if (!request_valid(&req, got))
			continue;
		if (req.op == PROBE_OP_FORGET) {
			probe_cache_forget(cache, req.udid);
		} else if (send_reply(fd, &req, cache) < 0) {
			status = errno == EPIPE || errno == ECONNRESET ? 0 : 1;
			break;
		}
	}
	probe_cache_free(cache);
	return status;
}
