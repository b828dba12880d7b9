/* SPDX-License-Identifier: ISC */
/* Pieces of the control server that live in their own files: clients (control.c), the
 * listening side (control_server.c), the socket file (control_listen.c) and the peer
 * credential check (control_peer.c). */
#ifndef BACKUPD_CONTROL_INTERNAL_H
#define BACKUPD_CONTROL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "control_verb.h"

struct control_stream_ops;

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

/* ---- shared by control.c (clients) and control_server.c (listening) ---- */

struct control_client {
	struct control_server *server; /* NULL once closed */
	struct bufferevent *bev;
	struct event *deadline;
	int refs;
	bool busy;                               /* a handler holds the current request */
	bool closing;                            /* close once the queued output is written */
	const struct control_stream_ops *stream; /* a reply in pieces under way, or NULL */
	void *stream_state;
	size_t stream_window; /* bytes queued before the next piece waits (control.c) */
	uid_t uid;
	gid_t gid; /* primary, from SO_PEERCRED */
	TAILQ_ENTRY(control_client) entry;
};
TAILQ_HEAD(client_list, control_client);

struct control_server {
	struct event_base *base;
	int fd;
	char *bound_path; /* unlinked at free; NULL when systemd owns the socket */
	struct event *accept_event;
	struct event *accept_resume;
	struct control_verb_set *sets; /* a copy of the daemon's; the tables are its */
	size_t n_sets;
	void *arg; /* log's */
	control_log_fn log;
	gid_t gid;
	char group[64];         /* the ControlGroup gid was resolved from, at start */
	char systemd_path[108]; /* the configured path when systemd's socket is used */
	int max_clients;
	int idle_timeout_ms;
	size_t output_high_water;
	struct client_list clients;
	int n_clients;
	struct control_refusals refusals;
	struct control_throttle busy_refusals;
	struct group_lookup *group_lookup; /* NULL until a reload changes the group */
	char group_wanted[64];             /* the ControlGroup last asked for */
};

void control_log(struct control_server *server, int priority, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Takes an accepted, allowed connection as a client. */
void control_client_accept(struct control_server *server, int fd, uid_t uid, gid_t gid);
/* Looks name up on a thread and applies it on the loop (chgrp, gid) when found. */
void control_group_request(struct control_server *server, const char *name);
/* Frees the lookup (shutdown only; never waits on NSS). */
void control_group_free(struct control_server *server);
/* Drops the connection now. The struct lives on while a handler or callback holds it. */
void control_client_close(struct control_client *client);

#endif
