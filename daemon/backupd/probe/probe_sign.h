/* SPDX-License-Identifier: ISC */
/* probe_sign: the daemon's side of a supervised pairing in a helper. The helper sends the
 * phone's PairingChallenge (include/probe_wire.h, pair_challenge); the signer, which holds
 * the supervision identity, answers with the signature. A helper gets at most one signature per
 * pairing job and only over something challenge-shaped: anything else is a lie, and the helper
 * is replaced. */
#ifndef BACKUPD_PROBE_SIGN_H
#define BACKUPD_PROBE_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct probe_signer {
	const uint8_t *cert; /* DER, sent with every PROBE_OP_PAIR (NULL: plain Pair) */
	size_t cert_len;
	/* Returns the DER length written to der, or -1 with why (not a challenge, ...). */
	int (*sign)(void *arg, const uint8_t *challenge, size_t n, uint8_t *der, size_t der_size,
	            char *why, size_t why_size);
	void *arg;
};

/* Whether a datagram is a helper's pair_challenge (by its magic; its size is checked later). */
bool probe_sign_is_challenge(const void *bytes, size_t n);
/* Answers the challenge in bytes for the job seq on fd. signatures counts this job's; pairing
 * says whether the job is a pairing one. false with why: the helper lied (second signature,
 * not a pairing job, wrong size or seq, not challenge-shaped) and must be replaced. */
bool probe_sign_answer(const struct probe_signer *signer, int fd, uint32_t seq, bool pairing,
                       int *signatures, const void *bytes, size_t n, char *why, size_t why_size);

#endif
