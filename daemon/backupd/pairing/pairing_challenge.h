/* SPDX-License-Identifier: ISC */
/* What a PairingChallenge may look like before the daemon signs it. A helper talks to
 * untrusted phones and may be subverted: with the supervision key it must not get a signature
 * over a configuration profile, a certificate request or any other structure a phone or MDM
 * would honour. A challenge is short opaque random bytes; anything with structure is refused. */
#ifndef BACKUPD_PAIRING_CHALLENGE_H
#define BACKUPD_PAIRING_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAIRING_CHALLENGE_MIN 16
#define PAIRING_CHALLENGE_MAX 256

/* true when bytes look like a challenge; otherwise why says what they look like. */
bool pairing_challenge_shaped(const uint8_t *bytes, size_t n, char *why, size_t why_size);

#endif
