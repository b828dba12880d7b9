/* SPDX-License-Identifier: ISC */
/* Keys and certificates of the simulated pairing: one root CA, one host and one device
 * identity per run (RSA key generation is slow, so every device shares them), the pair
 * record usbmuxd serves, and the TLS server context every device session uses. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

struct sim_pki {
	EVP_PKEY *root_key, *host_key, *device_key;
	X509 *root_cert, *host_cert, *device_cert;
	SSL_CTX *server_ctx;
	char *record; /* pair record, XML plist */
	uint32_t record_len;
	plist_t device_public_key; /* PEM "RSA PUBLIC KEY" as data */
};

static void die_ssl(const char *what)
{
	fprintf(stderr, "idevice-sim: %s failed\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static EVP_PKEY *new_rsa_key(void)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	if (!key)
		die_ssl("RSA key generation");
	return key;
}

static X509 *new_cert(EVP_PKEY *subject_key, EVP_PKEY *issuer_key, X509 *issuer, bool ca,
                      long serial)
{
	X509 *cert = X509_new();
	if (!cert)
		die_ssl("X509_new");
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 60L * 60 * 24 * 365 * 10);
	X509_set_pubkey(cert, subject_key);
	/* Like libimobiledevice's own records: empty subject and issuer names. */
	X509_set_issuer_name(cert,
	                     issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(cert));
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
	                                          ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	if (ext) {
		X509_add_ext(cert, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (!X509_sign(cert, issuer_key, EVP_sha256()))
		die_ssl("X509_sign");
	return cert;
}

/* Writes what fn puts into a memory BIO as a plist data node. */
static plist_t bio_to_data(BIO *bio)
{
	char *mem = NULL;
	long len = BIO_get_mem_data(bio, &mem);
	plist_t node = plist_new_data(mem, (uint64_t)len);
	BIO_free(bio);
	return node;
}

static plist_t cert_pem(X509 *cert)
{
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, cert);
	return bio_to_data(bio);
}

/* "BEGIN RSA PRIVATE KEY", the form real pair records carry. */
static plist_t key_pem(EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL, NULL);
	return bio_to_data(bio);
}

/* "BEGIN RSA PUBLIC KEY" (PKCS#1), what lockdownd's DevicePublicKey holds. */
static plist_t public_key_pem(EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	OSSL_ENCODER_CTX *enc = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_PUBLIC_KEY,
	                                                      "PEM", "type-specific", NULL);
	if (!enc || !OSSL_ENCODER_to_bio(enc, bio))
		die_ssl("public key encoding");
	OSSL_ENCODER_CTX_free(enc);
	return bio_to_data(bio);
}

static void random_uuid(char *out, size_t len)
{
	unsigned char b[16];
	RAND_bytes(b, sizeof b);
	snprintf(out, len, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static void build_pair_record(struct sim_pki *pki)
{
	char host_id[40], buid[40];
	random_uuid(host_id, sizeof host_id);
	random_uuid(buid, sizeof buid);
	unsigned char escrow[32];
	RAND_bytes(escrow, sizeof escrow);

	plist_t rec = plist_new_dict();
	plist_dict_set_item(rec, "DeviceCertificate", cert_pem(pki->device_cert));
	plist_dict_set_item(rec, "EscrowBag", plist_new_data((char *)escrow, sizeof escrow));
	plist_dict_set_item(rec, "HostCertificate", cert_pem(pki->host_cert));
	plist_dict_set_item(rec, "HostID", plist_new_string(host_id));
	plist_dict_set_item(rec, "HostPrivateKey", key_pem(pki->host_key));
	plist_dict_set_item(rec, "RootCertificate", cert_pem(pki->root_cert));
	plist_dict_set_item(rec, "RootPrivateKey", key_pem(pki->root_key));
	plist_dict_set_item(rec, "SystemBUID", plist_new_string(buid));
	plist_dict_set_item(rec, "WiFiMACAddress", plist_new_string("00:00:00:00:00:00"));
	plist_to_xml(rec, &pki->record, &pki->record_len);
	plist_free(rec);
}

static SSL_CTX *new_server_ctx(struct sim_pki *pki)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		die_ssl("SSL_CTX_new");
	/* Hosts older than iOS 10 profiles are capped at TLS 1.0 by libimobiledevice. */
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	if (SSL_CTX_use_certificate(ctx, pki->device_cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, pki->device_key) != 1)
		die_ssl("loading the device identity");
	/* The host presents the root certificate; like the device, we do not check it. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	return ctx;
}

struct sim_pki *pki_new(void)
{
	struct sim_pki *pki = calloc(1, sizeof *pki);
	if (!pki)
		abort();
	pki->root_key = new_rsa_key();
	pki->host_key = new_rsa_key();
	pki->device_key = new_rsa_key();
	pki->root_cert = new_cert(pki->root_key, pki->root_key, NULL, true, 0);
	pki->host_cert = new_cert(pki->host_key, pki->root_key, pki->root_cert, false, 1);
	pki->device_cert = new_cert(pki->device_key, pki->root_key, pki->root_cert, false, 2);
	pki->device_public_key = public_key_pem(pki->device_key);
	build_pair_record(pki);
	pki->server_ctx = new_server_ctx(pki);
	return pki;
}

void pki_free(struct sim_pki *pki)
{
	if (!pki)
		return;
	SSL_CTX_free(pki->server_ctx);
	X509_free(pki->root_cert);
	X509_free(pki->host_cert);
	X509_free(pki->device_cert);
	EVP_PKEY_free(pki->root_key);
	EVP_PKEY_free(pki->host_key);
	EVP_PKEY_free(pki->device_key);
	plist_free(pki->device_public_key);
	free(pki->record);
	free(pki);
}

const char *pki_pair_record(const struct sim_pki *pki, uint32_t *len)
{
	*len = pki->record_len;
	return pki->record;
}

plist_t pki_device_public_key(const struct sim_pki *pki)
{
	return pki->device_public_key;
}

SSL *pki_new_server_ssl(struct sim_pki *pki)
{
	SSL *ssl = SSL_new(pki->server_ctx);
	if (!ssl)
		die_ssl("SSL_new");
	return ssl;
}
