/* SPDX-License-Identifier: ISC */
/* Self-signed P-256 certificate, subject and SAN 127.0.0.1, valid for a day. */
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "feed_test_cert.h"

static int add_extension(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static X509 *self_signed(EVP_PKEY *key)
{
	X509 *cert = X509_new();
	X509_NAME *name;

	if (!cert)
		return NULL;
	name = X509_get_subject_name(cert);
	if (!X509_set_version(cert, 2) || !ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), -60) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), 86400) || !X509_set_pubkey(cert, key) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                                (const unsigned char *)"127.0.0.1", -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) ||
	    !add_extension(cert, NID_subject_alt_name, "IP:127.0.0.1") ||
	    !add_extension(cert, NID_basic_constraints, "critical,CA:TRUE") ||
	    !X509_sign(cert, key, EVP_sha256())) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static int write_pem(const char *path, X509 *cert, EVP_PKEY *key)
{
	FILE *file = fopen(path, "w");
	int ok;

	if (!file)
		return 0;
	ok = cert ? PEM_write_X509(file, cert)
	          : PEM_write_PrivateKey(file, key, NULL, NULL, 0, NULL, NULL);
	return fclose(file) == 0 && ok;
}

int test_cert_make(const char *cert_path, const char *key_path)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = key ? self_signed(key) : NULL;
	int ok = cert && write_pem(cert_path, cert, NULL) && write_pem(key_path, NULL, key);

	X509_free(cert);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}
