/* SPDX-License-Identifier: ISC */
/* Actions a probe helper runs for backupctl (include/probe_wire.h): switching iCloud Backup on
 * over com.apple.mobilebackup2, and restarting a phone over diagnostics_relay. Each opens its
 * own connections (never a probe's cached session) and is bounded by timeout_ms: a watchdog
 * shuts every socket it opened when the time is up. */
#ifndef BACKUPD_ACTION_HELPER_H
#define BACKUPD_ACTION_HELPER_H

#include "probe_wire.h"

/* Fills out (outcome, code, description); magic and seq are the caller's. */
void action_enable_backup(const char *udid, unsigned timeout_ms, struct action_reply *out);
void action_restart(const char *udid, unsigned timeout_ms, struct action_reply *out);
/* fd: the helper's socket, for the one signature a supervised pairing asks of the daemon. */
void action_pair(int fd, const struct pair_request *req, struct action_reply *out);
void action_unpair(const char *udid, unsigned timeout_ms, struct action_reply *out);

/* Shared by both: a lockdownd session with udid, or an outcome in out. */
struct action_link;
struct action_link *action_link_open(const char *udid, unsigned timeout_ms,
                                     struct action_reply *out);
/* Starts service (with the escrow bag when escrow), the descriptor in *service. */
bool action_link_start(struct action_link *link, const char *service, bool escrow,
                       void **descriptor, struct action_reply *out);
void *action_link_device(struct action_link *link);
/* True once the deadline passed. */
bool action_link_expired(struct action_link *link);
void action_link_close(struct action_link *link);

void action_fail(struct action_reply *out, enum action_outcome outcome, int code, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

#endif
