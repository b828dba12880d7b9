/* SPDX-License-Identifier: ISC */
/* The helper's side of signing: the phone's PairingChallenge goes to the daemon over the
 * helper's socket, the PKCS#7 signature comes back. The helper never holds the key. */
#ifndef BACKUPD_PAIR_SIGN_ASK_H
#define BACKUPD_PAIR_SIGN_ASK_H

#include <stddef.h>
#include <stdint.h>

/* Sends challenge for request seq and waits at most timeout_ms for the answer. Returns the
 * DER length (the bytes in der, at most der_size), 0 when the daemon refused, -1 when no
 * answer came (why says which). Other datagrams that arrive meanwhile (a FORGET) are
 * dropped: a dropped FORGET only leaves a session to be found broken later. */
int pair_sign_ask(int fd, uint32_t seq, const uint8_t *challenge, size_t len, unsigned timeout_ms,
                  uint8_t *der, size_t der_size, char *why, size_t why_size);

#endif
