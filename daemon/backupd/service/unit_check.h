/* SPDX-License-Identifier: ISC */
/* Settings of backupd.conf that the packaged systemd units decide too: the control socket's
 * path and group (backupd.socket's ListenStream= and SocketGroup= under socket activation)
 * and a StateDirectory= that ProtectSystem=strict leaves read-only. backupd compares them at
 * start-up (journal warning) and in --check-config, and each warning says what differs and
 * the drop-in that makes the unit agree. */
#ifndef BACKUPD_UNIT_CHECK_H
#define BACKUPD_UNIT_CHECK_H

#include <stdbool.h>

#include "config.h"

/* What the units say. Empty strings are unknown and not compared. */
struct unit_facts {
	char socket_path[108];     /* the socket systemd passes (ListenStream=) */
	char socket_group[64];     /* its group (SocketGroup=) */
	char writable_dirs[1024];  /* ':'-separated: StateDirectory= and ReadWritePaths= */
	bool state_dir_unwritable; /* the daemon tried: StateDirectory= cannot be written */
};

typedef void (*unit_warn_fn)(void *arg, const char *message);

/* The socket systemd passed (fd; -1: none): its path and its group's name. The name is a
 * user-database lookup (NSS may wait): called once, at start, before the loop runs. */
void unit_socket_facts(int fd, struct unit_facts *facts);
/* socket's facts (unit_socket_facts) with the daemon's own environment ($STATE_DIRECTORY)
 * and sandbox: what the running service sees. No lookup: safe on the loop (reload). */
void unit_facts_from_service(const struct unit_facts *socket, const struct backupd_config *config,
                             struct unit_facts *facts);

/* For --check-config, a process of its own: what backupd.socket and backupd.service say,
 * asked of systemd over D-Bus (unit_bus.c; each call limited to 2 s). Returns 0, with the
 * facts of a unit that is not installed left empty, or -1 and why when systemd cannot be
 * asked. */
int unit_facts_from_systemd(struct unit_facts *facts, char *why, size_t why_size);

/* Calls warn once per setting the units do not apply; returns how many. */
int unit_check(const struct backupd_config *config, const struct unit_facts *facts,
               unit_warn_fn warn, void *arg);

#endif
