/* SPDX-License-Identifier: ISC */
/* See pairing_challenge.h. */
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>

#include "pairing_challenge.h"

static bool starts_with(const uint8_t *bytes, size_t n, const char *prefix)
{
	size_t len = strlen(prefix);
	return n >= len && memcmp(bytes, prefix, len) == 0;
}

/* Whole-buffer DER (a SEQUENCE, a certificate, a CMS blob): random bytes almost never are. */
static bool is_der(const uint8_t *bytes, size_t n)
{
	const unsigned char *p = bytes;
	ASN1_TYPE *any = d2i_ASN1_TYPE(NULL, &p, (long)n);
	bool whole = any && (size_t)(p - bytes) == n;
	ASN1_TYPE_free(any);
	return whole;
}

/* Mostly printable: text (XML, JSON, a shell line) rather than random bytes. */
static bool is_text(const uint8_t *bytes, size_t n)
{
	size_t printable = 0;
	for (size_t i = 0; i < n; i++)
		printable += bytes[i] >= 0x20 && bytes[i] < 0x7f;
	return printable * 10 >= n * 9;
}

bool pairing_challenge_shaped(const uint8_t *bytes, size_t n, char *why, size_t why_size)
{
	const char *what = NULL;
	if (n < PAIRING_CHALLENGE_MIN || n > PAIRING_CHALLENGE_MAX)
		what = "of a length no PairingChallenge has";
	else if (starts_with(bytes, n, "bplist") || starts_with(bytes, n, "<?xml") ||
	         starts_with(bytes, n, "<plist"))
		what = "a property list";
	else if (is_der(bytes, n))
		what = "a DER structure";
	else if (is_text(bytes, n))
		what = "text";
	if (!what)
		return true;
	snprintf(why, why_size, "asked to sign %zu bytes that are %s, not a pairing challenge", n,
	         what);
	return false;
}
