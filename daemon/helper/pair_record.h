/* SPDX-License-Identifier: ISC */
/* A host's pair record for one phone, made in the helper: a root key and self-signed root
 * certificate, a host key and certificate, and a device certificate over the phone's own
 * public key, all signed by the root (what lockdownd expects of any host; libimobiledevice's
 * userpref.c makes the same kind of record). Held as PEM text, the form usbmuxd stores. */
#ifndef BACKUPD_PAIR_RECORD_H
#define BACKUPD_PAIR_RECORD_H

#include <stddef.h>

#include <libimobiledevice/lockdown.h>
#include <plist/plist.h>

struct pair_record {
	char *root_cert, *root_key, *host_cert, *host_key, *device_cert; /* PEM, NUL-ended */
	char host_id[37];                                                /* a fresh UUID */
	char *system_buid;                                               /* usbmuxd's */
	struct lockdownd_pair_record lockdown; /* points into the above, for lockdownd_pair */
};

/* device_public_key: the phone's DevicePublicKey (PEM "RSA PUBLIC KEY"). Returns 0, or -1
 * with why filled. */
int pair_record_make(struct pair_record *rec, const char *device_public_key, size_t key_len,
                     const char *system_buid, char *why, size_t why_size);
/* The record as usbmuxd keeps it (every key of it), with the phone's EscrowBag and Wi-Fi
 * address added; the caller frees it with plist_free. */
plist_t pair_record_plist(const struct pair_record *rec, plist_t escrow_bag, plist_t wifi_mac);
/* Frees what make allocated, the private keys' text wiped first. */
void pair_record_clear(struct pair_record *rec);

#endif
