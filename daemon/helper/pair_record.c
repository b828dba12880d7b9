/* SPDX-License-Identifier: ISC */
/* See pair_record.h. OpenSSL 3 only (EVP_RSA_gen, the decoder API). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pair_record.h"
#include "xmalloc.h"

#define KEY_BITS   2048
#define VALID_DAYS (10 * 365) /* the phone keeps the host as long as it keeps seeing it */

static char *pem_of(int (*write)(BIO *, const void *), const void *object)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *text = NULL;
	if (bio && write(bio, object) > 0) {
		char *data;
		long n = BIO_get_mem_data(bio, &data);
		text = xmalloc((size_t)n + 1);
		memcpy(text, data, (size_t)n);
		text[n] = '\0';
	}
	BIO_free(bio);
	return text;
}

static int write_cert(BIO *bio, const void *cert)
{
	return PEM_write_bio_X509(bio, (X509 *)cert);
}

static int write_key(BIO *bio, const void *key)
{
	return PEM_write_bio_PrivateKey(bio, (EVP_PKEY *)key, NULL, NULL, 0, NULL, NULL);
}

static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	bool ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* One certificate for key, signed by signer; extensions are "nid=value" rows ending at 0. */
struct ext_row {
	int nid;
	const char *value;
};

static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const struct ext_row *exts)
{
	X509 *cert = X509_new();
	if (!cert)
		return NULL;
	bool ok = X509_set_version(cert, 2) && ASN1_INTEGER_set(X509_get_serialNumber(cert), 0) &&
	          X509_gmtime_adj(X509_getm_notBefore(cert), 0) &&
	          X509_gmtime_adj(X509_getm_notAfter(cert), (long)VALID_DAYS * 86400) &&
	          X509_set_pubkey(cert, key);
	for (size_t i = 0; ok && exts[i].nid; i++)
		ok = add_ext(cert, issuer ? issuer : cert, exts[i].nid, exts[i].value);
	if (!ok || !X509_sign(cert, signer, EVP_sha256())) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static const struct ext_row root_exts[] = {{NID_basic_constraints, "critical,CA:TRUE"}, {0, NULL}};
static const struct ext_row host_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
    {0, NULL}};
static const struct ext_row device_exts[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_subject_key_identifier, "hash"},
    {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
    {0, NULL}};

/* The phone sends its key as PKCS#1 ("BEGIN RSA PUBLIC KEY"). */
static EVP_PKEY *read_device_key(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key = NULL;
	if (bio) {
		RSA *rsa = NULL;
		/* The PKCS#1 reader is the one OpenSSL 3 still has for this PEM label. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		if (PEM_read_bio_RSAPublicKey(bio, &rsa, NULL, NULL)) {
			key = EVP_PKEY_new();
			if (!key || !EVP_PKEY_assign_RSA(key, rsa)) {
				EVP_PKEY_free(key);
				key = NULL;
				RSA_free(rsa);
			}
		}
#pragma GCC diagnostic pop
		BIO_free(bio);
	}
	return key;
}

/* false when no random bytes could be had: a fixed HostID would be every host's. */
static bool new_uuid(char out[37])
{
	unsigned char b[16];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return false;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
	return true;
}

int pair_record_make(struct pair_record *rec, const char *device_public_key, size_t key_len,
                     const char *system_buid, char *why, size_t why_size)
{
	memset(rec, 0, sizeof(*rec));
	EVP_PKEY *root_key = EVP_RSA_gen(KEY_BITS), *host_key = EVP_RSA_gen(KEY_BITS);
	EVP_PKEY *device_key = read_device_key(device_public_key, key_len);
	X509 *root = NULL, *host = NULL, *device = NULL;
	int rc = -1;
	if (!root_key || !host_key) {
		snprintf(why, why_size, "could not generate the host's RSA keys");
		goto out;
	}
	if (!device_key) {
		snprintf(why, why_size, "the phone's DevicePublicKey is not an RSA public key");
		goto out;
	}
	root = make_cert(root_key, root_key, NULL, root_exts);
	host = root ? make_cert(host_key, root_key, root, host_exts) : NULL;
	device = host ? make_cert(device_key, root_key, root, device_exts) : NULL;
	if (!device) {
		snprintf(why, why_size, "could not make the pair record's certificates");
		goto out;
	}
	rec->root_cert = pem_of(write_cert, root);
	rec->host_cert = pem_of(write_cert, host);
	rec->device_cert = pem_of(write_cert, device);
	rec->root_key = pem_of(write_key, root_key);
	rec->host_key = pem_of(write_key, host_key);
	if (!rec->root_cert || !rec->host_cert || !rec->device_cert || !rec->root_key ||
	    !rec->host_key) {
		snprintf(why, why_size, "could not write the pair record as PEM");
		pair_record_clear(rec);
		goto out;
	}
	if (!new_uuid(rec->host_id)) {
		snprintf(why, why_size, "could not draw a random HostID");
		pair_record_clear(rec);
		goto out;
	}
	rec->system_buid = xstrdup(system_buid);
	rec->lockdown = (struct lockdownd_pair_record){
	    .device_certificate = rec->device_cert,
	    .host_certificate = rec->host_cert,
	    .root_certificate = rec->root_cert,
	    .host_id = rec->host_id,
	    .system_buid = rec->system_buid,
	};
	rc = 0;
out:
	X509_free(root);
	X509_free(host);
	X509_free(device);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(host_key);
	EVP_PKEY_free(device_key);
	return rc;
}

static void set_pem(plist_t dict, const char *key, const char *pem)
{
	plist_dict_set_item(dict, key, plist_new_data(pem, strlen(pem)));
}

plist_t pair_record_plist(const struct pair_record *rec, plist_t escrow_bag, plist_t wifi_mac)
{
	plist_t dict = plist_new_dict();
	set_pem(dict, "DeviceCertificate", rec->device_cert);
	set_pem(dict, "HostCertificate", rec->host_cert);
	set_pem(dict, "HostPrivateKey", rec->host_key);
	set_pem(dict, "RootCertificate", rec->root_cert);
	set_pem(dict, "RootPrivateKey", rec->root_key);
	plist_dict_set_item(dict, "HostID", plist_new_string(rec->host_id));
	plist_dict_set_item(dict, "SystemBUID", plist_new_string(rec->system_buid));
	plist_dict_set_item(dict, "EscrowBag", plist_copy(escrow_bag));
	if (wifi_mac)
		plist_dict_set_item(dict, "WiFiMACAddress", plist_copy(wifi_mac));
	return dict;
}

static void free_secret(char *text)
{
	if (text)
		OPENSSL_cleanse(text, strlen(text));
	free(text);
}

void pair_record_clear(struct pair_record *rec)
{
	free(rec->root_cert);
	free(rec->host_cert);
	free(rec->device_cert);
	free_secret(rec->root_key);
	free_secret(rec->host_key);
	free(rec->system_buid);
	memset(rec, 0, sizeof(*rec));
}
