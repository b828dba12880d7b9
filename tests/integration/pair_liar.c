/* SPDX-License-Identifier: ISC */
/* The pairing lies of lying_helper (LIAR_PAIR=MODE): a subverted helper that tries to get more
 * out of the daemon's supervision identity than one signature over one pairing challenge.
 * Probes are answered "not paired" (so pairing is wanted); a PROBE_OP_PAIR request is answered
 * by the lie: "second" (a good challenge, then another), "text" (a property list to sign) or
 * "probe" (a challenge in answer to a probe, outside any pairing). Every signature that comes
 * back is written to LOG.sigN (DER) next to the bytes it was asked for (LOG.challengeN) and
 * logged, so the test can check what was signed and that nothing more was. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pair_liar.h"
#include "probe_wire.h"
#include "xmalloc.h"

static void save(const char *log, const char *what, int n, const void *bytes, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s.%s%d", log, what, n);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(bytes, 1, len, f);
		fclose(f);
	}
}

static void note(const char *log, const char *line)
{
	FILE *f = fopen(log, "a");
	if (f) {
		fprintf(f, "%s\n", line);
		fclose(f);
	}
}

/* Sends challenge n and waits 3 s for a signature; logs what happened. */
static void ask(int fd, uint32_t seq, const char *log, int n, const uint8_t *bytes, size_t len)
{
	struct pair_challenge c = {.magic = PAIR_CHALLENGE_MAGIC, .seq = seq, .len = (uint32_t)len};
	memcpy(c.bytes, bytes, len);
	save(log, "challenge", n, bytes, len);
	send(fd, &c, sizeof(c), MSG_NOSIGNAL);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	static struct pair_signature sig;
	char line[64];
	if (poll(&p, 1, 3000) == 1 && recv(fd, &sig, sizeof(sig), 0) == (ssize_t)sizeof(sig) &&
	    sig.magic == PAIR_SIGNATURE_MAGIC && sig.len > 0) {
		save(log, "sig", n, sig.der, sig.len);
		snprintf(line, sizeof(line), "signed %d", n);
	} else {
		snprintf(line, sizeof(line), "refused %d", n);
	}
	note(log, line);
}

static void random_bytes(uint8_t *out, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(out, 1, n, f) != n)
		memset(out, 0xa5, n);
	if (f)
		fclose(f);
}

static void not_paired(int fd, const struct probe_request *req)
{
	struct probe_reply reply = {.magic = PROBE_WIRE_MAGIC, .seq = req->seq};
	facts_init(&reply.facts, req->udid);
	reply.facts.status = PROBE_NOT_PAIRED;
	strlcpy_safe(reply.facts.error, "no pair record", sizeof(reply.facts.error));
	send(fd, &reply, sizeof(reply), MSG_NOSIGNAL);
}

int pair_liar_main(int fd, const char *mode, const char *log)
{
	static struct pair_request in;
	static const char plist[] =
	    "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>"
	    "PayloadType</key><string>Configuration</string></dict></plist>";
	uint8_t challenge[32];
	for (;;) {
		ssize_t n = recv(fd, &in, sizeof(in), 0);
		if (n < (ssize_t)sizeof(in.req))
			return 0;
		in.req.udid[UDID_MAX - 1] = '\0';
		random_bytes(challenge, sizeof(challenge));
		if (in.req.op == PROBE_OP_PROBE && strcmp(mode, "probe") == 0)
			ask(fd, in.req.seq, log, 1, challenge, sizeof(challenge));
		else if (in.req.op == PROBE_OP_PROBE)
			not_paired(fd, &in.req);
		if (in.req.op != PROBE_OP_PAIR)
			continue;
		if (strcmp(mode, "text") == 0) {
			ask(fd, in.req.seq, log, 1, (const uint8_t *)plist, sizeof(plist) - 1);
			continue;
		}
		ask(fd, in.req.seq, log, 1, challenge, sizeof(challenge));
		random_bytes(challenge, sizeof(challenge));
		ask(fd, in.req.seq, log, 2, challenge, sizeof(challenge));
	}
}
