/* SPDX-License-Identifier: ISC */
/* The phone's check of a ChallengeResponse: a PKCS#7 SignedData in DER whose attached
 * content is exactly the PairingChallenge, signed (SHA-1 or SHA-256: go-ios signs with the
 * one, pymobiledevice3 with the other) by the key of the certificate that supervises the
 * phone. The signer is looked up among that certificate only, never among the certificates
 * the message carries, so a message signed by another organisation finds no signer. */
#include "sim.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

static int fail(char *why, size_t why_len, const char *text)
{
	unsigned long e = ERR_peek_last_error();
	if (e)
		snprintf(why, why_len, "%s (%s)", text, ERR_reason_error_string(e));
	else
		snprintf(why, why_len, "%s", text);
	ERR_clear_error();
	return -1;
}

/* Only the two digests hosts are known to use. */
static bool digest_accepted(PKCS7 *p7)
{
	STACK_OF(PKCS7_SIGNER_INFO) *infos = PKCS7_get_signer_info(p7);
	if (!infos || sk_PKCS7_SIGNER_INFO_num(infos) != 1)
		return false;
	X509_ALGOR *alg = NULL;
	PKCS7_SIGNER_INFO_get0_algs(sk_PKCS7_SIGNER_INFO_value(infos, 0), NULL, &alg, NULL);
	const ASN1_OBJECT *obj = NULL;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	int nid = OBJ_obj2nid(obj);
	return nid == NID_sha1 || nid == NID_sha256;
}

static int verify(PKCS7 *p7, X509 *supervisor, const uint8_t *challenge, size_t challenge_len,
                  char *why, size_t why_len)
{
	if (!PKCS7_type_is_signed(p7))
		return fail(why, why_len, "not a SignedData");
	if (PKCS7_get_detached(p7))
		return fail(why, why_len, "content not attached");
	if (!digest_accepted(p7))
		return fail(why, why_len, "not one signer with SHA-1 or SHA-256");
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *content = BIO_new(BIO_s_mem());
	int rc = -1;
	if (!certs || !content || !sk_X509_push(certs, supervisor)) {
		rc = fail(why, why_len, "out of memory");
	} else if (PKCS7_verify(p7, certs, NULL, NULL, content,
	                        PKCS7_BINARY | PKCS7_NOINTERN | PKCS7_NOVERIFY) != 1) {
		/* NOVERIFY: the organisation's certificate is self-signed and the phone holds it
		 * as it is; the signer must be that certificate (NOINTERN), nothing else. */
		rc = fail(why, why_len,
		          "signature does not verify with the supervising certificate");
	} else {
		char *got = NULL;
		long got_len = BIO_get_mem_data(content, &got);
		if (got_len != (long)challenge_len || memcmp(got, challenge, challenge_len) != 0)
			rc =
			    fail(why, why_len, "signed content is not this connection's challenge");
		else
			rc = 0;
	}
	BIO_free(content);
	sk_X509_free(certs);
	return rc;
}

int pkcs7_verify_challenge(const uint8_t *der, size_t der_len, const uint8_t *challenge,
                           size_t challenge_len, const uint8_t *cert_der, size_t cert_len,
                           char *why, size_t why_len)
{
	const unsigned char *p = der;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)der_len);
	if (!p7)
		return fail(why, why_len, "not a DER PKCS#7 message");
	const unsigned char *c = cert_der;
	X509 *supervisor = d2i_X509(NULL, &c, (long)cert_len);
	int rc = supervisor ? verify(p7, supervisor, challenge, challenge_len, why, why_len)
	                    : fail(why, why_len, "profile SupervisedBy is not a DER certificate");
	X509_free(supervisor);
	PKCS7_free(p7);
	return rc;
}
