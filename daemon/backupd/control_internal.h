/* Pieces of the control server that live in their own files: the listening socket
 * (control_listen.c) and the peer credential check (control_peer.c). */
#ifndef BACKUPD_CONTROL_INTERNAL_H
#define BACKUPD_CONTROL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Binds path (mode 0660, group gid unless (gid_t)-1) after making sure no live daemon owns
 * it: a stale socket is unlinked only once a connect() to it has failed. Returns the
 * listening, non-blocking fd, or -1 with a message in err. */
int control_listen_path(const char *path, gid_t gid, char *err, size_t err_size);
/* The socket systemd passed us; -1 when there is none, -2 (message in err) when unusable. */
int control_listen_systemd(char *err, size_t err_size);
/* Gives an existing socket file to gid (reconfigure); -1 on failure. */
int control_listen_chgrp(const char *path, gid_t gid, char *err, size_t err_size);

/* Resolves a group name; (gid_t)-1 for NULL or "" (root only). -1 when unknown. */
int control_peer_resolve_group(const char *group, gid_t *gid);
/* Root, a peer whose primary gid is gid, or a peer process holding gid among its
 * supplementary groups (SO_PEERGROUPS on fd: a user added to the group logs in again). */
bool control_peer_allowed(int fd, uid_t uid, gid_t primary_gid, gid_t gid);

/* Remembers which uids were already logged as refused so each is logged once. */
struct control_refusals {
	uid_t *uids;
	size_t n, cap;
};
/* True the first time uid is seen (bounded: past a cap every refusal counts as seen). */
bool control_refusals_first(struct control_refusals *refusals, uid_t uid);
void control_refusals_clear(struct control_refusals *refusals);

/* One warning per window for a refusal that can repeat thousands of times a second (too many
 * clients): the first passes, the rest are counted and the count rides on the next that passes. */
struct control_throttle {
	int64_t last_ms; /* when one last passed; 0 = never */
	unsigned suppressed;
};
#define CONTROL_THROTTLE_WINDOW_MS 60000
/* True when a warning may be logged now; *suppressed then holds how many were not. */
bool control_throttle_pass(struct control_throttle *throttle, int64_t now_ms, unsigned *suppressed);

#endif
