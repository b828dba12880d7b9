/* SPDX-License-Identifier: ISC */
/* The organisation's supervision identity ([Pairing] SupervisionIdentity=): its certificate
 * and private key, held by the daemon only (helpers get the certificate, never the key).
 *
 * A PKCS#12 file (what Apple Configurator and MDMs export) with its password from a file, or
 * a PEM file with certificate and key. Like ssh with a private key, a file that anyone but its
 * owner (root or backupd) and the daemon's group can read is refused. */
#ifndef BACKUPD_PAIRING_IDENTITY_H
#define BACKUPD_PAIRING_IDENTITY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct pairing_identity;

/* The password file named by SupervisionPasswordFile=, or else the systemd credential
 * "supervision-password" in $CREDENTIALS_DIRECTORY (LoadCredential=), or none. */
#define PAIRING_CREDENTIAL_NAME "supervision-password"

/* Loads path (password_file "" = none given). NULL with err naming the file and what is wrong
 * ("wrong password", "certificate expired on ...", "no private key") on failure. */
struct pairing_identity *pairing_identity_load(const char *path, const char *password_file,
                                               time_t now, char *err, size_t err_size);
/* "subject CN=..., SHA-256 AB:CD:..., expires 2027-01-01": what the log and --check-config
 * say; never anything of the key. */
void pairing_identity_describe(const struct pairing_identity *id, char *buf, size_t size);
/* The certificate in DER (public: it travels to helpers as SupervisorCertificate). */
const uint8_t *pairing_identity_cert(const struct pairing_identity *id, size_t *len);
/* Signs challenge as PKCS#7 SignedData (DER, content attached, signer certificate included,
 * binary). Returns the length written to der, or -1 (why says) when it does not fit. */
int pairing_identity_sign(const struct pairing_identity *id, const uint8_t *challenge, size_t n,
                          uint8_t *der, size_t der_size, char *why, size_t why_size);
/* Frees the key (EVP_PKEY_free wipes it) and every buffer that held secret bytes. */
void pairing_identity_free(struct pairing_identity *id);

#endif
