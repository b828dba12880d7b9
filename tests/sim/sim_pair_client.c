/* SPDX-License-Identifier: ISC */
/* idevice-sim-pair: supervised pairing through the real libimobiledevice 1.3.0
 * (lockdownd_pair_with_options), with a ChallengeResponse signed here, well or badly, so
 * that the simulator's check is tried with what go-ios cannot be made to send: SHA-256 (as
 * pymobiledevice3 signs), other digests, another signer, other content, detached content.
 *
 *   idevice-sim-pair UDID SUPERVISOR.pem SIGNER.pem DIGEST MODE
 *
 * SUPERVISOR.pem (certificate) is offered as SupervisorCertificate; SIGNER.pem (certificate
 * and key) signs; DIGEST sha1|sha256|sha512; MODE good|other-content|detached. Prints the
 * phone's last answer, "paired escrow=yes|no" or "error NAME", and exits 0 when paired.
 * The pair record carries the supervisor's certificate in every certificate slot: the
 * simulator needs only a parseable HostCertificate and a HostID here; nothing is saved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <plist/plist.h>

struct identity {
	X509 *cert;
	EVP_PKEY *key;
	char *pem; /* the file as read, for the pair record */
};

static int load(const char *path, struct identity *id)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	id->cert = PEM_read_X509(f, NULL, NULL, NULL);
	rewind(f);
	id->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	rewind(f);
	size_t cap = 1 << 16;
	id->pem = calloc(1, cap);
	size_t got = id->pem ? fread(id->pem, 1, cap - 1, f) : 0;
	fclose(f);
	return id->cert && got > 0 ? 0 : -1;
}

static void identity_free(struct identity *id)
{
	X509_free(id->cert);
	EVP_PKEY_free(id->key);
	free(id->pem);
}

/* PKCS#7 SignedData, DER, binary, signer certificate included; content attached unless
 * detached. */
static plist_t sign(const struct identity *signer, const EVP_MD *md, const char *data, uint64_t len,
                    int detached)
{
	BIO *in = BIO_new_mem_buf(data, (int)len);
	int flags = PKCS7_BINARY | PKCS7_PARTIAL | (detached ? PKCS7_DETACHED : 0);
	PKCS7 *p7 = PKCS7_sign(NULL, NULL, NULL, in, flags);
	plist_t out = NULL;
	if (p7 && PKCS7_sign_add_signer(p7, signer->cert, signer->key, md, flags) &&
	    PKCS7_final(p7, in, flags)) {
		unsigned char *der = NULL;
		int der_len = i2d_PKCS7(p7, &der);
		if (der_len > 0)
			out = plist_new_data((const char *)der, (uint64_t)der_len);
		OPENSSL_free(der);
	}
	PKCS7_free(p7);
	BIO_free(in);
	return out;
}

static const char *error_of(plist_t reply)
{
	plist_t e = reply ? plist_dict_get_item(reply, "Error") : NULL;
	return e && plist_get_node_type(e) == PLIST_STRING ? plist_get_string_ptr(e, NULL) : NULL;
}

static plist_t challenge_of(plist_t reply)
{
	plist_t ext = reply ? plist_dict_get_item(reply, "ExtendedResponse") : NULL;
	plist_t ch = ext ? plist_dict_get_item(ext, "PairingChallenge") : NULL;
	return ch && plist_get_node_type(ch) == PLIST_DATA ? ch : NULL;
}

static plist_t pair(lockdownd_client_t client, lockdownd_pair_record_t rec, const char *key,
                    plist_t value)
{
	plist_t options = plist_new_dict();
	plist_dict_set_item(options, key, value);
	plist_dict_set_item(options, "ExtendedPairingErrors", plist_new_bool(1));
	plist_t reply = NULL;
	lockdownd_pair_with_options(client, rec, options, &reply);
	plist_free(options);
	return reply;
}

static int report(plist_t reply)
{
	const char *error = error_of(reply);
	if (!reply)
		printf("error no answer\n");
	else if (error)
		printf("error %s\n", error);
	else
		printf("paired escrow=%s\n",
		       plist_dict_get_item(reply, "EscrowBag") ? "yes" : "no");
	return reply && !error ? 0 : 1;
}

static int run(lockdownd_client_t client, const struct identity *sup, const struct identity *signer,
               const EVP_MD *md, const char *mode)
{
	char host_id[40];
	snprintf(host_id, sizeof host_id, "SIM-PAIR-%08X", (unsigned)getpid());
	struct lockdownd_pair_record rec = {sup->pem, sup->pem, sup->pem, host_id, "SIM-PAIR-BUID"};
	unsigned char *der = NULL;
	int der_len = i2d_X509(sup->cert, &der);
	plist_t reply = pair(client, &rec, "SupervisorCertificate",
	                     plist_new_data((const char *)der, (uint64_t)der_len));
	OPENSSL_free(der);
	plist_t challenge = challenge_of(reply);
	const char *error = error_of(reply);
	if (!challenge || !error || strcmp(error, "MCChallengeRequired") != 0) {
		int rc = report(reply);
		plist_free(reply);
		return rc;
	}
	uint64_t len = 0;
	const char *bytes = plist_get_data_ptr(challenge, &len);
	char *content = malloc(len + 1);
	memcpy(content, bytes, len);
	if (strcmp(mode, "other-content") == 0)
		content[0] ^= 1;
	plist_t response = sign(signer, md, content, len, strcmp(mode, "detached") == 0);
	free(content);
	plist_free(reply);
	if (!response) {
		fprintf(stderr, "idevice-sim-pair: signing failed\n");
		return 1;
	}
	reply = pair(client, &rec, "ChallengeResponse", response);
	int rc = report(reply);
	plist_free(reply);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: idevice-sim-pair UDID SUPERVISOR.pem SIGNER.pem "
		                "sha1|sha256|sha512 good|other-content|detached\n");
		return 2;
	}
	const EVP_MD *md = EVP_get_digestbyname(argv[4]);
	struct identity sup = {0}, signer = {0};
	if (!md || load(argv[2], &sup) < 0 || load(argv[3], &signer) < 0 || !signer.key) {
		fprintf(stderr, "idevice-sim-pair: bad digest or identity file\n");
		identity_free(&sup);
		identity_free(&signer);
		return 2;
	}
	idevice_t device = NULL;
	lockdownd_client_t client = NULL;
	int rc = 1;
	if (idevice_new_with_options(&device, argv[1], IDEVICE_LOOKUP_USBMUX) !=
	        IDEVICE_E_SUCCESS ||
	    lockdownd_client_new(device, &client, "idevice-sim-pair") != LOCKDOWN_E_SUCCESS)
		fprintf(stderr, "idevice-sim-pair: cannot reach lockdownd of %s\n", argv[1]);
	else
		rc = run(client, &sup, &signer, md, argv[5]);
	lockdownd_client_free(client);
	idevice_free(device);
	identity_free(&sup);
	identity_free(&signer);
	return rc;
}
