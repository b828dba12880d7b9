/* SPDX-License-Identifier: ISC */
/* The daemon's signing service for helpers: a challenge-shaped blob (pairing_challenge.h)
 * signed with the supervision identity (pairing_identity.h), in the form probe_sign.h wants. */
#ifndef BACKUPD_PAIRING_SIGNER_H
#define BACKUPD_PAIRING_SIGNER_H

#include <stddef.h>
#include <stdint.h>

/* identity: a struct pairing_identity. Returns the DER length, or -1 with why. */
int pairing_sign_challenge(void *identity, const uint8_t *challenge, size_t n, uint8_t *der,
                           size_t der_size, char *why, size_t why_size);

#endif
