/* SPDX-License-Identifier: ISC */
/* See probe_sign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "probe_sign.h"
#include "probe_wire.h"
#include "xmalloc.h"

bool probe_sign_is_challenge(const void *bytes, size_t n)
{
	uint32_t magic;
	if (n < sizeof(magic))
		return false;
	memcpy(&magic, bytes, sizeof(magic));
	return magic == PAIR_CHALLENGE_MAGIC;
}

bool probe_sign_answer(const struct probe_signer *signer, int fd, uint32_t seq, bool pairing,
                       int *signatures, const void *bytes, size_t n, char *why, size_t why_size)
{
	struct pair_challenge ask;
	if (n != sizeof(ask)) {
		snprintf(why, why_size, "pairing challenge of %zu bytes, expected %zu", n,
		         sizeof(ask));
		return false;
	}
	memcpy(&ask, bytes, sizeof(ask));
	if (ask.seq != seq || ask.len > sizeof(ask.bytes)) {
		snprintf(why, why_size, "pairing challenge for request %u of %u bytes", ask.seq,
		         ask.len);
		return false;
	}
	if (!pairing || !signer || !signer->sign) {
		snprintf(why, why_size, "asked for a signature outside a supervised pairing");
		return false;
	}
	if (*signatures > 0) {
		snprintf(why, why_size, "asked for a second signature in one pairing");
		return false;
	}
	struct pair_signature *answer = xcalloc(1, sizeof(*answer));
	answer->magic = PAIR_SIGNATURE_MAGIC;
	answer->seq = seq;
	int len = signer->sign(signer->arg, ask.bytes, ask.len, answer->der, sizeof(answer->der),
	                       why, why_size);
	bool ok = len > 0;
	if (ok) {
		answer->len = (uint32_t)len;
		++*signatures;
		ok = send(fd, answer, sizeof(*answer), MSG_NOSIGNAL | MSG_DONTWAIT) ==
		     (ssize_t)sizeof(*answer);
		if (!ok)
			snprintf(why, why_size, "could not send the signature to the helper");
	}
	free(answer);
	return ok;
}
