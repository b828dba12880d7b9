/* SPDX-License-Identifier: ISC */
/* metrics_fair: the numbers and addresses the HTTP listener's fairness works with
 * (metrics_http.c): who a connection comes from, and how much of MaxConnections one address
 * may hold. */
#ifndef BACKUPD_METRICS_FAIR_H
#define BACKUPD_METRICS_FAIR_H

#include <stdbool.h>
#include <sys/socket.h>

/* A connection must deliver its request line and headers within this (or RequestTimeout,
 * when shorter): an idle connection holds a place this long at most. */
#define METRICS_HEAD_TIMEOUT_MS 2000

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

#endif
