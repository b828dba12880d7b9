/* SPDX-License-Identifier: ISC */
/* metrics_fair: the rules the HTTP listener's fairness works by (metrics_http.c): who a
 * connection comes from, how much of MaxConnections one address may hold, and which
 * connection gives way when a limit is reached. */
#ifndef BACKUPD_METRICS_FAIR_H
#define BACKUPD_METRICS_FAIR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* A connection must deliver its request line and headers within this (or RequestTimeout,
 * when shorter): an idle connection holds a place this long at most. */
#define METRICS_HEAD_TIMEOUT_MS 2000

/* A silent connection younger than this never gives way to another silent one: a client
 * sends its request as soon as it has connected, and on a loaded machine its bytes may reach
 * backupd a little after the connection. */
#define METRICS_SILENT_GRACE_MS (METRICS_HEAD_TIMEOUT_MS / 8)

/* How far a connection's request has come. */
enum metrics_progress {
	METRICS_SILENT,    /* not one byte yet */
	METRICS_TALKING,   /* bytes arrived, the request is not whole yet */
	METRICS_REQUESTED, /* the request is whole: it is being answered */
};

/* The peer's address without its port; family AF_UNSPEC when unknown (all unknown ones
 * count as one address). */
struct metrics_peer {
	sa_family_t family;
	unsigned char addr[16];
};

void metrics_peer_of(int fd, struct metrics_peer *peer);
bool metrics_peer_same(const struct metrics_peer *a, const struct metrics_peer *b);
/* How many of max_connections one address may hold: half, at least one. */
int metrics_fair_share(int max_connections);
/* Whether bytes wait unread in socket fd's receive queue. */
bool metrics_fair_input_waiting(int fd);
/* Whether a connection at progress victim, age_ms old, may be closed to make room for one at
 * newcomer: never one being answered; for a silent newcomer only a silent one past its
 * grace; for one that talks, any other. Among those allowed, the least advanced goes first,
 * then one of the address holding the most, then the oldest (metrics_http.c). The kernel
 * helps: it hands a connection over once its first bytes are there (TCP_DEFER_ACCEPT,
 * metrics_listen.h), so a scrape arrives talking and silent ones arrive slowly. */
bool metrics_fair_may_evict(enum metrics_progress newcomer, enum metrics_progress victim,
                            int64_t age_ms);

#endif
