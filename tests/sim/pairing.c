/* SPDX-License-Identifier: ISC */
/* What a phone trusts, and how it answers Pair: the hosts it paired with (HostID and host
 * certificate, checked by StartSession and ValidatePair), the organisation that supervises
 * it (profile SupervisedBy, AllowHostPairing) with the PairingChallenge that proves a host
 * holds that organisation's identity, and the "Trust This Computer?" dialog (control verbs
 * trust, distrust; a denial holds until the phone is unplugged). */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

enum dialog_state { DIALOG_NONE, DIALOG_SHOWN, DIALOG_TRUSTED, DIALOG_DENIED };
static const char *const dialog_names[] = {"none", "shown", "trusted", "denied"};

struct sim_pairing {
	uint8_t *supervisor; /* DER of the supervising certificate; NULL = unsupervised */
	size_t supervisor_len;
	bool allow_host_pairing; /* false: only a host proving the identity may pair */
	bool profile_paired;     /* profile Paired: usbmuxd holds a record, the phone trusts it */
	bool profile_expired;    /* profile PairRecordExpired: record held, phone forgot it */
	plist_t trusted;         /* dict HostID -> data (DER of the host certificate) */
	enum dialog_state dialog;
};

#define CHALLENGE_LEN 32

/* Issued on one lockdownd connection, for the HostID of the record that asked. */
struct pair_challenge {
	uint8_t bytes[CHALLENGE_LEN];
	char host_id[64];
};

static struct sim_pairing *pairing_of(struct sim_device *dev)
{
	if (!dev->pairing) {
		dev->pairing = calloc(1, sizeof *dev->pairing);
		if (!dev->pairing)
			abort();
		dev->pairing->allow_host_pairing = true;
		dev->pairing->profile_paired = true;
		dev->pairing->trusted = plist_new_dict();
	}
	return dev->pairing;
}

void pairing_free(struct sim_device *dev)
{
	if (!dev->pairing)
		return;
	free(dev->pairing->supervisor);
	plist_free(dev->pairing->trusted);
	free(dev->pairing);
	dev->pairing = NULL;
}

void pairing_challenge_free(struct sim_conn *conn)
{
	free(conn->challenge);
	conn->challenge = NULL;
}

static bool bool_item(plist_t dict, const char *key, bool fallback)
{
	plist_t n = dict ? plist_dict_get_item(dict, key) : NULL;
	uint8_t v = fallback;
	if (n && plist_get_node_type(n) == PLIST_BOOLEAN)
		plist_get_bool_val(n, &v);
	return v;
}

/* Profile keys SupervisedBy, AllowHostPairing, Paired, PairRecordExpired. */
void pairing_apply_profile(struct sim_device *dev, plist_t profile)
{
	struct sim_pairing *p = pairing_of(dev);
	free(p->supervisor);
	p->supervisor = NULL;
	p->supervisor_len = 0;
	plist_t sup = plist_dict_get_item(profile, "SupervisedBy");
	if (sup && plist_get_node_type(sup) == PLIST_DATA) {
		uint64_t len = 0;
		char *der = NULL;
		plist_get_data_val(sup, &der, &len);
		p->supervisor = (uint8_t *)der;
		p->supervisor_len = (size_t)len;
	}
	p->allow_host_pairing = bool_item(profile, "AllowHostPairing", true);
	p->profile_paired = bool_item(profile, "Paired", true);
	p->profile_expired = bool_item(profile, "PairRecordExpired", false);
}

bool pairing_locked(const struct sim_device *dev)
{
	return bool_item(dev->root, "PasswordProtected", false);
}

bool pairing_trusts(const struct sim_device *dev, const char *host_id)
{
	return dev->pairing && host_id && plist_dict_get_item(dev->pairing->trusted, host_id);
}

/* PEM (what pair records carry) to DER, so that two encodings of one certificate match. */
static plist_t cert_der(plist_t pem_node)
{
	if (!pem_node || plist_get_node_type(pem_node) != PLIST_DATA)
		return NULL;
	uint64_t len = 0;
	const char *pem = plist_get_data_ptr(pem_node, &len);
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	unsigned char *der = NULL;
	int der_len = cert ? i2d_X509(cert, &der) : -1;
	X509_free(cert);
	if (der_len <= 0)
		return NULL;
	plist_t node = plist_new_data((const char *)der, (uint64_t)der_len);
	OPENSSL_free(der);
	return node;
}

/* The phone remembers the host of this record: its HostID and certificate. */
static bool trust_record(struct sim_device *dev, plist_t record)
{
	const char *host_id = plist_str(record, "HostID");
	plist_t der = cert_der(plist_dict_get_item(record, "HostCertificate"));
	if (!host_id || !der) {
		plist_free(der);
		return false;
	}
	plist_dict_set_item(pairing_of(dev)->trusted, host_id, der);
	return true;
}

const char *pairing_served_record(struct sim *sim, const struct sim_device *dev, uint32_t *len)
{
	if (dev->saved_record) {
		*len = dev->saved_record_len;
		return dev->saved_record;
	}
	return pki_pair_record(sim->pki, len);
}

static void trust_served_record(struct sim *sim, struct sim_device *dev)
{
	uint32_t len = 0;
	const char *xml = pairing_served_record(sim, dev, &len);
	plist_t record = NULL;
	plist_from_memory(xml, len, &record);
	if (record)
		trust_record(dev, record);
	plist_free(record);
}

/* known: usbmuxd holds a record and the phone trusts it (a fresh start, or "pair UDID");
 * else neither has one. */
void pairing_set_known(struct sim *sim, struct sim_device *dev, bool known)
{
	struct sim_pairing *p = pairing_of(dev);
	plist_free(p->trusted);
	p->trusted = plist_new_dict();
	p->dialog = DIALOG_NONE;
	dev->host_has_record = known;
	if (known)
		trust_served_record(sim, dev);
}

/* The state a profile describes, as the phone is plugged in. */
void pairing_reset(struct sim *sim, struct sim_device *dev)
{
	struct sim_pairing *p = pairing_of(dev);
	pairing_set_known(sim, dev, dev->behaviour != BEH_TRUST_PENDING && p->profile_paired);
	if (p->profile_expired) {
		plist_free(p->trusted);
		p->trusted = plist_new_dict();
	}
}

/* "Don't Trust" holds until the phone is unplugged (libimobiledevice #693). */
void pairing_detached(struct sim_device *dev)
{
	if (dev->pairing)
		dev->pairing->dialog = DIALOG_NONE;
}

int pairing_tap(struct sim_device *dev, bool trust, const char **why)
{
	struct sim_pairing *p = pairing_of(dev);
	if (p->dialog != DIALOG_SHOWN) {
		*why = "no Trust dialog on screen (a plain Pair shows it)";
		return -1;
	}
	p->dialog = trust ? DIALOG_TRUSTED : DIALOG_DENIED;
	return 0;
}

/* As after 30 days unseen: the phone forgets every host; usbmuxd keeps its record. */
void pairing_expire(struct sim_device *dev)
{
	struct sim_pairing *p = pairing_of(dev);
	plist_free(p->trusted);
	p->trusted = plist_new_dict();
}

void pairing_describe(const struct sim_device *dev, char *out, size_t len)
{
	const struct sim_pairing *p = dev->pairing;
	if (!p) {
		snprintf(out, len, "trusts=0:dialog=none:unsupervised");
		return;
	}
	snprintf(out, len, "trusts=%u:dialog=%s:%s", plist_dict_get_size(p->trusted),
	         dialog_names[p->dialog],
	         !p->supervisor          ? "unsupervised"
	         : p->allow_host_pairing ? "supervised"
	                                 : "supervised-prohibited");
}

/* ---- Pair ---- */

static void set_error(plist_t reply, const char *error)
{
	plist_dict_set_item(reply, "Error", plist_new_string(error));
}

static void accept_pair(struct sim_device *dev, plist_t record, plist_t reply)
{
	static const char escrow[32] = "simulated-escrow-bag";
	/* A locked phone accepts the identity but cannot hand out its escrow bag, and keeps no
	 * record of the host (go-ios commit 58146ed): the host must save nothing. */
	if (pairing_locked(dev))
		return;
	if (!trust_record(dev, record)) {
		set_error(reply, "InvalidPairRecord");
		return;
	}
	plist_dict_set_item(reply, "EscrowBag", plist_new_data(escrow, sizeof escrow));
}

/* A host that has not proven the supervision identity: MCProtected where the organisation
 * forbids host pairing, else the Trust dialog (go-ios #588). */
static void unproven_pair(struct sim_device *dev, plist_t record, plist_t reply)
{
	struct sim_pairing *p = pairing_of(dev);
	if (p->supervisor && !p->allow_host_pairing) {
		set_error(reply, "MCProtected");
	} else if (pairing_locked(dev)) {
		set_error(reply, "PasswordProtected");
	} else if (p->dialog == DIALOG_DENIED) {
		set_error(reply, "UserDeniedPairing");
	} else if (p->dialog == DIALOG_TRUSTED) {
		p->dialog = DIALOG_NONE;
		accept_pair(dev, record, reply);
	} else {
		p->dialog = DIALOG_SHOWN;
		set_error(reply, "PairingDialogResponsePending");
	}
}

static bool data_equals(plist_t node, const uint8_t *bytes, size_t len)
{
	uint64_t n = 0;
	if (!node || plist_get_node_type(node) != PLIST_DATA || !bytes)
		return false;
	const char *d = plist_get_data_ptr(node, &n);
	return n == len && memcmp(d, bytes, len) == 0;
}

static void issue_challenge(struct sim_conn *conn, const char *host_id, plist_t reply)
{
	pairing_challenge_free(conn);
	conn->challenge = calloc(1, sizeof *conn->challenge);
	if (!conn->challenge)
		abort();
	RAND_bytes(conn->challenge->bytes, CHALLENGE_LEN);
	snprintf(conn->challenge->host_id, sizeof conn->challenge->host_id, "%s", host_id);
	plist_t ext = plist_new_dict();
	plist_dict_set_item(ext, "PairingChallenge",
	                    plist_new_data((const char *)conn->challenge->bytes, CHALLENGE_LEN));
	plist_dict_set_item(reply, "ExtendedResponse", ext);
	set_error(reply, "MCChallengeRequired");
}

/* The answer to a ChallengeResponse: signed by the supervising identity over the challenge
 * of this connection, for the same host. One try per challenge. */
static bool challenge_proven(struct sim_conn *conn, struct sim_device *dev, const char *host_id,
                             plist_t response)
{
	struct pair_challenge *ch = conn->challenge;
	struct sim_pairing *p = pairing_of(dev);
	char why[256] = "no challenge issued on this connection";
	bool ok = false;
	uint64_t len = 0;
	const char *der = plist_get_data_ptr(response, &len);
	if (ch && strcmp(ch->host_id, host_id) != 0)
		snprintf(why, sizeof why, "the record is not the one the challenge was issued for");
	else if (ch && !p->supervisor)
		snprintf(why, sizeof why, "the phone is not supervised");
	else if (ch)
		ok = pkcs7_verify_challenge((const uint8_t *)der, (size_t)len, ch->bytes,
		                            CHALLENGE_LEN, p->supervisor, p->supervisor_len, why,
		                            sizeof why) == 0;
	if (!ok)
		fprintf(stderr, "idevice-sim: %s: ChallengeResponse refused: %s\n", dev->udid, why);
	pairing_challenge_free(conn);
	return ok;
}

void pairing_do_pair(struct sim_conn *conn, struct sim_device *dev, plist_t req, plist_t reply)
{
	plist_t record = plist_dict_get_item(req, "PairRecord");
	plist_t options = plist_dict_get_item(req, "PairingOptions");
	const char *host_id = plist_str(record, "HostID");
	struct sim_pairing *p = pairing_of(dev);
	plist_t response = options ? plist_dict_get_item(options, "ChallengeResponse") : NULL;
	plist_t cert = options ? plist_dict_get_item(options, "SupervisorCertificate") : NULL;
	if (!record || plist_get_node_type(record) != PLIST_DICT || !host_id) {
		set_error(reply, "InvalidPairRecord");
	} else if (dev->behaviour == BEH_TRUST_PENDING) {
		/* The older, simpler model: the dialog stays up until "pair UDID". */
		set_error(reply, pairing_locked(dev) ? "PasswordProtected"
		                                     : "PairingDialogResponsePending");
	} else if (response && plist_get_node_type(response) == PLIST_DATA) {
		if (challenge_proven(conn, dev, host_id, response))
			accept_pair(dev, record, reply);
		else
			unproven_pair(dev, record, reply);
	} else if (data_equals(cert, p->supervisor, p->supervisor_len)) {
		issue_challenge(conn, host_id, reply);
	} else {
		unproven_pair(dev, record, reply);
	}
}

/* ValidatePair: the host of this HostID, with the certificate it paired with. */
void pairing_do_validate(struct sim_device *dev, plist_t req, plist_t reply)
{
	plist_t record = plist_dict_get_item(req, "PairRecord");
	const char *host_id = plist_str(record, "HostID");
	plist_t known = pairing_trusts(dev, host_id)
	                    ? plist_dict_get_item(dev->pairing->trusted, host_id)
	                    : NULL;
	plist_t der = cert_der(plist_dict_get_item(record, "HostCertificate"));
	uint64_t len = 0;
	const char *kd = known ? plist_get_data_ptr(known, &len) : NULL;
	if (dev->behaviour == BEH_NOT_PAIRED || !kd || !data_equals(der, (const uint8_t *)kd, len))
		set_error(reply, "InvalidHostID");
	plist_free(der);
}

/* Unpair: the phone forgets that host. */
void pairing_do_unpair(struct sim_device *dev, plist_t req)
{
	const char *host_id = plist_str(plist_dict_get_item(req, "PairRecord"), "HostID");
	if (pairing_trusts(dev, host_id))
		plist_dict_remove_item(dev->pairing->trusted, host_id);
}
