/* SPDX-License-Identifier: ISC */
/* See pair_sign_ask.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "pair_sign_ask.h"
#include "probe_wire.h"
#include "xmalloc.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pair_sign_ask(int fd, uint32_t seq, const uint8_t *challenge, size_t len, unsigned timeout_ms,
                  uint8_t *der, size_t der_size, char *why, size_t why_size)
{
	struct pair_challenge ask = {.magic = PAIR_CHALLENGE_MAGIC, .seq = seq};
	if (len > sizeof(ask.bytes)) {
		snprintf(why, why_size, "PairingChallenge of %zu bytes is too long", len);
		return -1;
	}
	ask.len = (uint32_t)len;
	memcpy(ask.bytes, challenge, len);
	if (send(fd, &ask, sizeof(ask), MSG_NOSIGNAL) != (ssize_t)sizeof(ask)) {
		snprintf(why, why_size, "could not send the challenge to backupd");
		return -1;
	}
	long long deadline = now_ms() + timeout_ms;
	static struct pair_signature answer; /* 16 KiB: not on the stack of a helper thread */
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int ready = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			snprintf(why, why_size, "backupd did not sign within %u ms", timeout_ms);
			return -1;
		}
		ssize_t n = recv(fd, &answer, sizeof(answer), MSG_TRUNC);
		if (n <= 0) {
			snprintf(why, why_size, "backupd closed the helper's socket");
			return -1;
		}
		if (n != (ssize_t)sizeof(answer) || answer.magic != PAIR_SIGNATURE_MAGIC ||
		    answer.seq != seq)
			continue; /* a FORGET or other request: not for now */
		if (answer.len == 0)
			return 0;
		if (answer.len > der_size || answer.len > sizeof(answer.der)) {
			snprintf(why, why_size, "signature of %u bytes is too long", answer.len);
			return -1;
		}
		memcpy(der, answer.der, answer.len);
		return (int)answer.len;
	}
}
