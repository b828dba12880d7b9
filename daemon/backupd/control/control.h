/* SPDX-License-Identifier: ISC */
/* control: the daemon's end of the control socket (protocol in control_protocol.h).
 *
 * It accepts clients on the daemon's libevent loop, checks their peer credentials, reads one
 * bounded JSON request line at a time, checks it against its verb's entry (control_verb.h:
 * arguments, then authority) and only then hands it to the verb's handler. It knows nothing
 * of the fleet: handlers build the replies.
 *
 * Client lifetime: a client is reference-counted. A handler that answers at once calls
 * control_client_reply() before returning. A handler that answers later (refresh) takes a
 * reference with control_client_ref(), and later calls control_client_reply() and then
 * control_client_unref(); if the peer went away meanwhile the reply is silently dropped.
 * While a request is pending the client's further input waits, so replies stay in order.
 *
 * The daemon must ignore SIGPIPE (writes go to sockets whose peer may have gone). */
#ifndef BACKUPD_CONTROL_H
#define BACKUPD_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <jansson.h>

#include "control_verb.h"

struct control_server;
struct control_client;

struct control_handlers {
	const struct control_verb_set *sets; /* every verb served, checked at start (no repeats) */
	size_t n_sets;
	void *arg;          /* passed to log */
	control_log_fn log; /* NULL = silent */
};

struct control_options {
	const char *socket_path;  /* bound when no systemd socket is adopted */
	const char *group;        /* members (and root) may talk; NULL or "" = root only */
	bool adopt_systemd;       /* use the socket systemd passed (sd_listen_fds) if any */
	int max_clients;          /* 0 = 256 */
	int idle_timeout_ms;      /* 0 = 5000: idle, half-sent request or stalled reader */
	size_t output_high_water; /* 0 = 16 MiB: a client with more queued output is dropped */
};

/* Returns NULL and a message in err on failure (socket in use by a live daemon, bind, a verb
 * named twice, an action in a set without an authorize hook, ...). The sets are copied; their
 * tables, arg and the strings in options must outlive the server. */
struct control_server *control_server_new(struct event_base *base,
                                          const struct control_options *options,
                                          const struct control_handlers *handlers, char *err,
                                          size_t err_size);
/* The socket systemd passed, when the server adopted one; -1 when it bound its own. */
int control_server_systemd_fd(const struct control_server *server);
/* Applies new limits and a new socket path: the new one is bound first, then the old one is
 * closed and unlinked (connected clients stay); -1 with the reason in err when it cannot be
 * (bind failed, or the socket is systemd's), and the old one stays. A new group is looked up
 * on a thread (getgrnam_r can wait on NSS) and applied on the loop when found; the log says
 * "control: ControlGroup=NAME applied", or why not. */
int control_server_reconfigure(struct control_server *server, const struct control_options *options,
                               char *err, size_t err_size);
/* Closes every client and the socket, unlinking it when this server bound it. */
void control_server_free(struct control_server *server);

/* Sends reply (adds "v"; steals the reference). A no-op when the client has gone. */
void control_client_reply(struct control_client *client, json_t *reply);
/* Sends {"v":N,"ok":false,"error":message}. */
void control_client_reply_error(struct control_client *client, const char *message);
/* A reply produced in pieces as the client reads, so that a slow or stalled reader costs the
 * loop no more than a piece or two, and no other client waits behind the rest of its reply.
 * piece() appends the next part of the reply text (JSON with "v", ending in "\n") to out and
 * returns false after the last part; release() frees state when the reply is done or the
 * client goes. */
struct control_stream_ops {
	bool (*piece)(void *state, struct evbuffer *out);
	void (*release)(void *state);
};
void control_client_stream(struct control_client *client, const struct control_stream_ops *ops,
                           void *state);
void control_client_ref(struct control_client *client);
void control_client_unref(struct control_client *client);
bool control_client_gone(const struct control_client *client);
/* The peer's uid as the kernel gave it at connect time. */
uid_t control_client_uid(const struct control_client *client);
/* Root, or a peer holding gid (primary or supplementary, from the kernel at connect time: no
 * user-database lookup); false for gid (gid_t)-1 unless root. */
bool control_client_member(const struct control_client *client, gid_t gid);

#endif
