/* SPDX-License-Identifier: ISC */
/* A throwaway self-signed certificate for 127.0.0.1, so the poller's TLS checks can be tested
 * both ways: refused without it as CA, accepted with it. */
#ifndef FEED_TEST_CERT_H
#define FEED_TEST_CERT_H

/* Writes PEM files; returns -1 on failure. */
int test_cert_make(const char *cert_path, const char *key_path);

#endif
