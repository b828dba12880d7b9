/* SPDX-License-Identifier: ISC */
/* Pairing a phone with this host, in a helper (include/probe_wire.h, PROBE_OP_PAIR).
 *
 * Supervised (a certificate came with the request): Pair with PairingOptions
 * {SupervisorCertificate, ExtendedPairingErrors}; a phone this identity supervises answers
 * MCChallengeRequired with a PairingChallenge, which the daemon signs (pair_sign_ask.h); the
 * second Pair carries {ChallengeResponse}. Plain: one Pair, which shows "Trust" on the phone.
 * Both use one record made here (pair_record.h): libimobiledevice 1.3.0 makes new keys on
 * every call when given none, so the two requests would name two hosts. The record is saved
 * through usbmuxd only with the phone's EscrowBag: a locked phone accepts without one, and a
 * record without it cannot start the services backupd needs (retry once unlocked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <usbmuxd.h>

#include "action_helper.h"
#include "pair_record.h"
#include "pair_sign_ask.h"
#include "probe_watchdog.h"

#define PAIR_LABEL "backupd"

struct pairing {
	const struct pair_request *req;
	int fd; /* to the daemon, for the signature */
	idevice_t device;
	lockdownd_client_t lockdown;
	struct probe_watchdog *watchdog;
	struct pair_record record;
	plist_t wifi_mac;
	bool supervised;
};

/* The phone's answers to Pair, as outcomes; supervised tells MCProtected apart. */
static void pair_refused(const struct pairing *p, lockdownd_error_t rc, const char *step,
                         struct action_reply *out)
{
	switch (rc) {
	case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
		action_fail(out, ACTION_TRUST_PENDING, rc,
		            "%s: -19 (PairingDialogResponsePending)%s", step,
		            p->supervised ? ": the identity does not supervise this phone, so it "
		                            "asks for Trust"
		                          : "");
		break;
	case LOCKDOWN_E_USER_DENIED_PAIRING:
		action_fail(out, ACTION_DENIED, rc, "%s: -18 (UserDeniedPairing)", step);
		break;
	case LOCKDOWN_E_PASSWORD_PROTECTED:
		action_fail(out, ACTION_LOCKED, rc, "%s: -17 (PasswordProtected)", step);
		break;
	case LOCKDOWN_E_MC_PROTECTED:
		action_fail(out, p->supervised ? ACTION_NOT_SUPERVISOR : ACTION_PROHIBITED, rc,
		            "%s: -38 (MCProtected)", step);
		break;
	default:
		action_fail(out, ACTION_DEVICE_ERROR, rc, "%s: lockdownd error %d", step, rc);
	}
}

static plist_t pair_options(const char *key, const uint8_t *bytes, size_t len)
{
	plist_t options = plist_new_dict();
	if (key)
		plist_dict_set_item(options, key, plist_new_data((const char *)bytes, len));
	plist_dict_set_item(options, "ExtendedPairingErrors", plist_new_bool(1));
	return options;
}

static lockdownd_error_t pair_once(struct pairing *p, plist_t options, plist_t *response)
{
	lockdownd_error_t rc =
	    lockdownd_pair_with_options(p->lockdown, &p->record.lockdown, options, response);
	plist_free(options);
	return rc;
}

static bool challenge_of(plist_t response, const char **bytes, uint64_t *len)
{
	plist_t ext = response ? plist_dict_get_item(response, "ExtendedResponse") : NULL;
	plist_t node = ext ? plist_dict_get_item(ext, "PairingChallenge") : NULL;
	if (!node || plist_get_node_type(node) != PLIST_DATA)
		return false;
	*bytes = plist_get_data_ptr(node, len);
	return *bytes != NULL;
}

/* Steps 2-4: the challenge signed by the daemon, and the second Pair. */
static lockdownd_error_t answer_challenge(struct pairing *p, plist_t *response,
                                          struct action_reply *out)
{
	const char *challenge;
	uint64_t len;
	if (!challenge_of(*response, &challenge, &len)) {
		action_fail(out, ACTION_DEVICE_ERROR, LOCKDOWN_E_MC_CHALLENGE_REQUIRED,
		            "MCChallengeRequired without a PairingChallenge");
		return LOCKDOWN_E_UNKNOWN_ERROR;
	}
	static uint8_t der[PAIR_SIGNATURE_MAX];
	char why[ACTION_DESCRIPTION_MAX];
	int n = pair_sign_ask(p->fd, p->req->req.seq, (const uint8_t *)challenge, (size_t)len,
	                      p->req->req.timeout_ms, der, sizeof(der), why, sizeof(why));
	plist_free(*response);
	*response = NULL;
	if (n <= 0) {
		action_fail(out, ACTION_FAILED, 0, "%s",
		            n == 0 ? "backupd refused to sign the challenge" : why);
		return LOCKDOWN_E_UNKNOWN_ERROR;
	}
	return pair_once(p, pair_options("ChallengeResponse", der, (size_t)n), response);
}

static void save(struct pairing *p, plist_t response, struct action_reply *out)
{
	plist_t escrow = response ? plist_dict_get_item(response, "EscrowBag") : NULL;
	if (!escrow || plist_get_node_type(escrow) != PLIST_DATA) {
		action_fail(out, ACTION_LOCKED, LOCKDOWN_E_ESCROW_LOCKED,
		            "the phone accepted but sent no EscrowBag (passcode-locked); nothing "
		            "saved");
		return;
	}
	plist_t whole = pair_record_plist(&p->record, escrow, p->wifi_mac);
	char *xml = NULL;
	uint32_t len = 0;
	plist_to_xml(whole, &xml, &len);
	plist_free(whole);
	uint32_t handle = 0;
	idevice_get_handle(p->device, &handle);
	int rc =
	    xml ? usbmuxd_save_pair_record_with_device_id(p->req->req.udid, handle, xml, len) : -1;
	if (xml) {
		memset(xml, 0, len); /* the record holds the host's private keys */
		free(xml);
	}
	if (rc < 0)
		action_fail(out, ACTION_FAILED, 0, "usbmuxd did not save the pair record (%d)", rc);
	else
		action_fail(out, ACTION_DONE, 0, "%s", p->supervised ? "supervised" : "trusted");
}

static bool prepare(struct pairing *p, struct action_reply *out)
{
	char why[ACTION_DESCRIPTION_MAX];
	if (idevice_new_with_options(&p->device, p->req->req.udid, IDEVICE_LOOKUP_USBMUX) !=
	    IDEVICE_E_SUCCESS) {
		action_fail(out, ACTION_FAILED, 0, "usbmuxd does not list the phone");
		return false;
	}
	lockdownd_error_t rc = lockdownd_client_new(p->device, &p->lockdown, PAIR_LABEL);
	if (rc != LOCKDOWN_E_SUCCESS) {
		action_fail(out, ACTION_FAILED, rc, "lockdownd connection failed (%d)", rc);
		return false;
	}
	plist_t key = NULL;
	char *buid = NULL;
	const char *pem;
	uint64_t len = 0;
	lockdownd_get_value(p->lockdown, NULL, "DevicePublicKey", &key);
	/* Read before pairing: iOS 7 drops the connection when asked after (as idevicepair). */
	lockdownd_get_value(p->lockdown, NULL, "WiFiAddress", &p->wifi_mac);
	bool ok = false;
	if (!key || plist_get_node_type(key) != PLIST_DATA ||
	    !(pem = plist_get_data_ptr(key, &len)))
		action_fail(out, ACTION_DEVICE_ERROR, 0, "the phone gave no DevicePublicKey");
	else if (usbmuxd_read_buid(&buid) < 0 || !buid)
		action_fail(out, ACTION_FAILED, 0, "usbmuxd gave no SystemBUID");
	else if (pair_record_make(&p->record, pem, (size_t)len, buid, why, sizeof(why)) < 0)
		action_fail(out, ACTION_FAILED, 0, "%s", why);
	else
		ok = true;
	plist_free(key);
	free(buid);
	return ok;
}

static void run(struct pairing *p, struct action_reply *out)
{
	if (!prepare(p, out))
		return;
	plist_t response = NULL;
	lockdownd_error_t rc = pair_once(
	    p,
	    p->supervised ? pair_options("SupervisorCertificate", p->req->cert, p->req->cert_len)
	                  : pair_options(NULL, NULL, 0),
	    &response);
	bool challenged = false;
	if (rc == LOCKDOWN_E_MC_CHALLENGE_REQUIRED && p->supervised) {
		rc = answer_challenge(p, &response, out);
		challenged = true;
	}
	if (rc == LOCKDOWN_E_SUCCESS)
		save(p, response, out);
	else if (out->description[0] != '\0')
		; /* answer_challenge said why */
	else if (challenged && rc != LOCKDOWN_E_PASSWORD_PROTECTED &&
	         rc != LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING)
		action_fail(out, ACTION_NOT_SUPERVISOR, rc,
		            "the phone refused the signed challenge (%d): the identity does not "
		            "supervise it",
		            rc);
	else
		pair_refused(p, rc, challenged ? "Pair with the signed challenge" : "Pair", out);
	plist_free(response);
}

void action_pair(int fd, const struct pair_request *req, struct action_reply *out)
{
	struct pairing p = {.req = req, .fd = fd, .supervised = req->cert_len > 0};
	out->description[0] = '\0';
	p.watchdog = probe_watchdog_new();
	if (!p.watchdog) {
		action_fail(out, ACTION_FAILED, 0, "cannot start the helper's watchdog");
		return;
	}
	probe_watchdog_arm(p.watchdog, req->req.timeout_ms, NULL, 0);
	run(&p, out);
	if (out->outcome != ACTION_DONE && probe_watchdog_fired(p.watchdog))
		action_fail(out, ACTION_FAILED, 0, "no answer within %u ms", req->req.timeout_ms);
	if (p.lockdown)
		lockdownd_client_free(p.lockdown);
	if (p.device)
		idevice_free(p.device);
	probe_watchdog_disarm(p.watchdog);
	probe_watchdog_free(p.watchdog);
	plist_free(p.wifi_mac);
	pair_record_clear(&p.record);
}
