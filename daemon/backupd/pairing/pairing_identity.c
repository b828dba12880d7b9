/* SPDX-License-Identifier: ISC */
/* See pairing_identity.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "pairing_identity.h"
#include "probe_wire.h"
#include "xmalloc.h"

#define FILE_MAX     (256 * 1024) /* an identity is a few KiB */
#define PASSWORD_MAX 1024

struct pairing_identity {
	EVP_PKEY *key;
	X509 *cert;
	uint8_t *cert_der;
	size_t cert_der_len;
};

/* Reads a whole small file after checking who may read it; NULL with err set. */
static uint8_t *read_guarded(const char *path, const char *what, size_t *len, char *err,
                             size_t err_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, err_size, "%s: cannot read %s: %s", path, what, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	const char *bad = NULL;
	if (!S_ISREG(st.st_mode))
		bad = "is not a regular file";
	else if (st.st_mode & (S_IRWXO))
		bad =
		    "can be read or written by others (chmod o= it, as ssh wants of a private key)";
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		bad = "is owned by someone other than root or backupd";
	else if (st.st_size > FILE_MAX)
		bad = "is too large";
	if (bad) {
		snprintf(err, err_size, "%s: %s %s; refused", path, what, bad);
		close(fd);
		return NULL;
	}
	uint8_t *data = xmalloc((size_t)st.st_size + 1);
	ssize_t got = read(fd, data, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		snprintf(err, err_size, "%s: short read of %s", path, what);
		OPENSSL_cleanse(data, (size_t)st.st_size + 1);
		free(data);
		return NULL;
	}
	data[got] = '\0';
	*len = (size_t)got;
	return data;
}

static void free_secret(uint8_t *data, size_t len)
{
	if (data)
		OPENSSL_cleanse(data, len);
	free(data);
}

/* The password: the file given, else the systemd credential, else none (""). */
static char *read_password(const char *password_file, char *err, size_t err_size, bool *failed)
{
	char credential[4096];
	const char *path = password_file;
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	if (!path[0] && dir && dir[0]) {
		snprintf(credential, sizeof(credential), "%s/%s", dir, PAIRING_CREDENTIAL_NAME);
		if (access(credential, F_OK) == 0)
			path = credential;
	}
	*failed = false;
	if (!path[0])
		return xstrdup("");
	size_t len = 0;
	uint8_t *text =
	    read_guarded(path, "the supervision identity's password", &len, err, err_size);
	if (!text) {
		*failed = true;
		return NULL;
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0'; /* echo PASSWORD > file */
	return (char *)text;
}

static bool load_p12(struct pairing_identity *id, const uint8_t *data, size_t len,
                     const char *password)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	PKCS12 *p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
	BIO_free(bio);
	if (!p12)
		return false;
	bool ok = PKCS12_parse(p12, password, &id->key, &id->cert, NULL) == 1;
	PKCS12_free(p12);
	return ok;
}

static bool is_p12(const uint8_t *data, size_t len)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	PKCS12 *p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
	BIO_free(bio);
	PKCS12_free(p12);
	return p12 != NULL;
}

static void load_pem(struct pairing_identity *id, const uint8_t *data, size_t len,
                     const char *password)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	id->cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	bio = BIO_new_mem_buf(data, (int)len);
	id->key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)password) : NULL;
	BIO_free(bio);
}

/* What is wrong with a loaded pair, if anything. */
static const char *judge(const struct pairing_identity *id, bool p12, time_t now, char *expired,
                         size_t expired_size)
{
	if (!id->cert)
		return p12 ? "the PKCS#12 file holds no certificate"
		           : "no certificate in the PEM file";
	if (!id->key)
		return p12 ? "the PKCS#12 file holds no private key"
		           : "no private key in the PEM file (put the key after the certificate)";
	if (X509_check_private_key(id->cert, id->key) != 1)
		return "the private key does not belong to the certificate";
	if (X509_cmp_time(X509_get0_notAfter(id->cert), &now) <= 0) {
		struct tm tm;
		ASN1_TIME_to_tm(X509_get0_notAfter(id->cert), &tm);
		snprintf(expired, expired_size, "the certificate expired on %04d-%02d-%02d",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		return expired;
	}
	return NULL;
}

struct pairing_identity *pairing_identity_load(const char *path, const char *password_file,
                                               time_t now, char *err, size_t err_size)
{
	size_t len = 0;
	uint8_t *data = read_guarded(path, "the supervision identity", &len, err, err_size);
	if (!data)
		return NULL;
	bool password_failed;
	char *password = read_password(password_file, err, err_size, &password_failed);
	if (password_failed) {
		free_secret(data, len);
		return NULL;
	}
	struct pairing_identity *id = xcalloc(1, sizeof(*id));
	bool p12 = is_p12(data, len);
	char expired[96];
	const char *bad = NULL;
	if (p12 && !load_p12(id, data, len, password))
		bad = password[0]
		          ? "wrong password for the PKCS#12 file"
		          : "the PKCS#12 file needs its password (SupervisionPasswordFile=)";
	else if (!p12)
		load_pem(id, data, len, password);
	if (!bad)
		bad = judge(id, p12, now, expired, sizeof(expired));
	free_secret(data, len);
	free_secret((uint8_t *)password, strlen(password));
	ERR_clear_error();
	int der_len = bad ? 0 : i2d_X509(id->cert, &id->cert_der);
	if (!bad && der_len <= 0)
		bad = "the certificate cannot be encoded";
	/* The helper carries the certificate in a fixed-size field: a larger one could only be
	 * dropped, and the phones would then show the Trust dialog instead. */
	if (!bad && der_len > PAIR_CERT_MAX)
		bad = "the certificate is larger than the 8192 bytes backupd can send a phone";
	if (bad) {
		snprintf(err, err_size, "%s: supervision identity refused: %s", path, bad);
		pairing_identity_free(id);
		return NULL;
	}
	id->cert_der_len = (size_t)der_len;
	return id;
}

void pairing_identity_describe(const struct pairing_identity *id, char *buf, size_t size)
{
	char subject[256] = "";
	X509_NAME_oneline(X509_get_subject_name(id->cert), subject, sizeof(subject));
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;
	X509_digest(id->cert, EVP_sha256(), md, &md_len);
	char fingerprint[EVP_MAX_MD_SIZE * 3 + 1] = "";
	size_t used = 0;
	for (unsigned i = 0; i < md_len; i++)
		used += (size_t)snprintf(fingerprint + used, sizeof(fingerprint) - used, "%s%02X",
		                         i ? ":" : "", md[i]);
	struct tm tm = {0};
	ASN1_TIME_to_tm(X509_get0_notAfter(id->cert), &tm);
	snprintf(buf, size, "subject %s, SHA-256 %s, expires %04d-%02d-%02d", subject, fingerprint,
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const uint8_t *pairing_identity_cert(const struct pairing_identity *id, size_t *len)
{
	*len = id->cert_der_len;
	return id->cert_der;
}

int pairing_identity_sign(const struct pairing_identity *id, const uint8_t *challenge, size_t n,
                          uint8_t *der, size_t der_size, char *why, size_t why_size)
{
	BIO *in = BIO_new_mem_buf(challenge, (int)n);
	/* Binary: no MIME canonicalisation of line ends (pymobiledevice3 PR #1383); attached. */
	PKCS7 *p7 = in ? PKCS7_sign(id->cert, id->key, NULL, in, PKCS7_BINARY) : NULL;
	BIO_free(in);
	int len = p7 ? i2d_PKCS7(p7, NULL) : -1;
	int rc = -1;
	if (len <= 0)
		snprintf(why, why_size, "PKCS7_sign failed");
	else if ((size_t)len > der_size)
		snprintf(why, why_size, "signature of %d bytes does not fit", len);
	else {
		unsigned char *out = der;
		rc = i2d_PKCS7(p7, &out);
	}
	PKCS7_free(p7);
	ERR_clear_error();
	return rc;
}

void pairing_identity_free(struct pairing_identity *id)
{
	if (!id)
		return;
	EVP_PKEY_free(id->key); /* OpenSSL clears the key's numbers as it frees them */
	X509_free(id->cert);
	OPENSSL_free(id->cert_der);
	free(id);
}
