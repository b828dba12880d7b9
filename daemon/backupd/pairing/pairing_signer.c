/* SPDX-License-Identifier: ISC */
/* See pairing_signer.h. */
#include "pairing_challenge.h"
#include "pairing_identity.h"
#include "pairing_signer.h"

int pairing_sign_challenge(void *identity, const uint8_t *challenge, size_t n, uint8_t *der,
                           size_t der_size, char *why, size_t why_size)
{
	if (!pairing_challenge_shaped(challenge, n, why, why_size))
		return -1;
	return pairing_identity_sign(identity, challenge, n, der, der_size, why, why_size);
}
